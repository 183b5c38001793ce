// A real redis-server for the Redis store's tests: installed (Debian's package) when missing, one per test file, on a free port.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type Sandbox, startSandbox } from '../../dev/sandbox/index.js';
import { RespClient } from '../../shared/idempotency/resp.js';
import { freePort } from './ports.js';

const INSTALL_HINT = 'apt-get update && apt-get install redis-server, or put redis-server on PATH';

const installed = () => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/**
 * Installs Debian's redis-server when it is missing. Test files run in parallel, so the install holds a lock
 * (flock) and looks again once it has it; the package lists are updated first, as a fresh machine has none.
 */
function ensureInstalled(): void {
  if (installed()) return;
  const script =
    'command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server; }';
  try {
    execFileSync('flock', [join(tmpdir(), 'parkflow-redis-install.lock'), 'sh', '-c', script], {
      stdio: 'pipe',
      timeout: 300_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch (err) {
    const why = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n').at(-1) || String(err);
    throw new Error(`redis-server is missing and could not be installed (${why}): ${INSTALL_HINT}`);
  }
  if (!installed()) throw new Error(`redis-server is still missing after apt-get: ${INSTALL_HINT}`);
}

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Starts it again on the same port, with the data it had (append-only file). */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  close(): Promise<void>;
}

export async function startRedis(opts: { password?: string } = {}): Promise<RedisServer> {
  ensureInstalled();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'parkflow-redis-'));
  let child: ChildProcess | undefined;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes'];
  if (opts.password) args.push('--requirepass', opts.password);
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
      child = proc;
      let out = '';
      proc.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      proc.on('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out.slice(-500)}`)));
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  await start();
  const auth = opts.password ? `:${encodeURIComponent(opts.password)}@` : '';
  return {
    url: `redis://${auth}127.0.0.1:${port}`,
    port,
    stop,
    start,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Empties every database of the server. */
export async function flushRedis(url: string): Promise<void> {
  const client = new RespClient(url);
  await client.command(['FLUSHALL'], 1_000);
  client.close();
}

/** A redis-server and a sandbox gateway for one test file, both emptied before each test. */
export function redisAndSandbox(): { redis: () => RedisServer; sandbox: () => Sandbox } {
  let redis: RedisServer | undefined;
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    [redis, sandbox] = await Promise.all([startRedis(), startSandbox()]);
  });
  afterAll(() => Promise.all([redis?.close(), sandbox?.close()]));
  beforeEach(async () => {
    sandbox?.reset();
    if (redis) await flushRedis(redis.url);
  });
  const started = <T>(x: T | undefined): T => {
    if (!x) throw new Error('redis-server and the sandbox start in beforeAll');
    return x;
  };
  return { redis: () => started(redis), sandbox: () => started(sandbox) };
}
