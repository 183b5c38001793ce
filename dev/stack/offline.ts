import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname, '..', '..');
const OSLS = join(ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');
const READY = /Server ready: (http:\/\/\S+)/;
const START_TIMEOUT_MS = 60_000;

/** A function's name in serverless-offline's Lambda invoke API: service, stage and function, as on AWS. */
export const lambdaName = (fn: string) => `parkflow-local-${fn}`;

export interface Offline {
  /** Where the functions' HTTP API routes are, e.g. http://127.0.0.1:3000 */
  url: string;
  stop(): Promise<void>;
}

export interface OfflineOptions {
  port: number;
  /** serverless-offline's own Lambda invoke API, where `npm run send -- --queue` delivers queue batches. */
  lambdaPort: number;
  /** The functions' environment: --localEnvironment hands it to them. */
  env: NodeJS.ProcessEnv;
  /** Every line serverless-offline and the functions print. */
  onLine(line: string): void;
}

/**
 * Runs serverless.yml with osls + serverless-offline, stage `local`: each function is served from
 * its dist/<name>.zip artifact behind its HTTP API route, as API Gateway would invoke it.
 */
export async function startOffline(options: OfflineOptions): Promise<Offline> {
  // serverless-offline unpacks each artifact under .serverless-offline/; without this the repo's
  // "type": "module" would make Node load the CommonJS bundles as ES modules.
  mkdirSync(join(ROOT, '.serverless-offline'), { recursive: true });
  writeFileSync(join(ROOT, '.serverless-offline', 'package.json'), '{ "type": "commonjs" }\n');

  const args = ['offline', 'start', '--stage', 'local', '--host', '127.0.0.1'];
  args.push('--httpPort', String(options.port), '--lambdaPort', String(options.lambdaPort));
  args.push('--noPrependStageInUrl', '--localEnvironment');
  const child = spawn(process.execPath, [OSLS, ...args], {
    cwd: ROOT,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const tail: string[] = [];

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail('did not start'), START_TIMEOUT_MS);
    function fail(what: string): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`serverless-offline ${what}:\n${tail.join('\n')}`));
    }
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        tail.push(line);
        if (tail.length > 30) tail.shift();
        options.onLine(line);
        const ready = READY.exec(line);
        if (ready?.[1]) {
          clearTimeout(timer);
          child.off('exit', exitedEarly);
          resolve(ready[1]);
        }
      });
    }
    const exitedEarly = (code: number | null) => fail(`exited (${code})`);
    child.once('exit', exitedEarly);
  });

  return { url, stop: () => stop(child, exited) };
}

/** SIGTERM lets serverless-offline remove what it unpacked; SIGKILL if it takes too long. */
async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
