// Runs a benchmark child process (cold-probe.cjs or host.mjs) and reads the figures it writes to fd 3.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const PROBE = join(import.meta.dirname, 'cold-probe.cjs');
export const HOST = join(import.meta.dirname, 'host.mjs');

export interface ChildRun<T> {
  /** From spawn to exit, as seen by the parent. */
  wallMs: number;
  /** From spawn to the child's first figures on fd 3. */
  answeredMs: number;
  figures: T;
  /** What the child wrote to fd 4 (bench/rusage.sh writes what the OS counted there). */
  fd4: string;
}

/** At most this long per child: the benchmarks stop by themselves whatever happens. */
const CHILD_LIMIT_MS = 120_000;

export interface ChildOptions {
  /** Written to the child's stdin. */
  input?: string;
  nodeFlags?: string[];
  /** Another node than this one. */
  node?: string;
  /** A command that runs node, put before it (bench/rusage.sh). */
  wrapper?: string[];
}

export function runChild<T>(
  args: string[],
  env: Record<string, string>,
  { input, nodeFlags = [], node = process.execPath, wrapper = [] }: ChildOptions = {},
): Promise<ChildRun<T>> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const [command = node, ...before] = [...wrapper, node];
    const child = spawn(command, [...before, ...nodeFlags, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe', 'pipe', 'pipe'],
      timeout: CHILD_LIMIT_MS,
    });
    child.stdin?.end(input);
    let out = '';
    let err = '';
    let fd4 = '';
    let answeredMs = 0;
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      answeredMs ||= performance.now() - started;
      out += chunk;
    });
    child.stdio[4]?.on('data', (chunk: Buffer) => {
      fd4 += chunk;
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk;
    });
    child.on('error', reject);
    let wallMs = 0;
    child.on('exit', () => {
      wallMs = performance.now() - started;
    });
    // 'close' comes after 'exit' and after the pipes are drained.
    child.on('close', (code, signal) => {
      if (code !== 0)
        return reject(new Error(`${args.join(' ').slice(0, 200)} exited ${code ?? signal}: ${err.slice(0, 2000)}`));
      resolve({ wallMs, answeredMs, figures: (out ? JSON.parse(out) : {}) as T, fd4 });
    });
  });
}
