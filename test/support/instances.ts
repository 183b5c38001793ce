// Function instances in processes of their own (test/support/instance.mjs), each with its own settings.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DIST } from './bundles.js';

const INSTANCE = join(import.meta.dirname, 'instance.mjs');
/** No instance outlives this, whatever happens. */
const LIMIT_MS = 60_000;

export interface InstanceRun<T> {
  result: T;
  /** The instance's event log lines. */
  lines: Record<string, any>[];
}

/** Runs `job` (see instance.mjs) with `name`'s bundle; `env` is the instance's whole environment. */
export function runInstance<T>(
  name: string,
  job: Record<string, unknown>,
  env: Record<string, string | undefined>,
): Promise<InstanceRun<T>> {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [INSTANCE], {
      env: { PATH: process.env.PATH ?? '', ...defined },
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      timeout: LIMIT_MS,
    });
    child.stdin?.end(JSON.stringify({ ...job, bundle: join(DIST, name, 'index.js') }));
    let out = '';
    let err = '';
    let figures = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk;
    });
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      figures += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0 || !figures) return reject(new Error(`instance exited ${code ?? signal}: ${err.slice(0, 2000)}`));
      const lines = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, any>)
        .filter((l) => l.msg === 'event');
      resolve({ result: JSON.parse(figures) as T, lines });
    });
  });
}
