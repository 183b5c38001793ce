// Every command answers a mistake with one line that names the fix, and a non-zero exit code; a stack
// trace only with DEBUG. Each runs as a user runs it, in a child process.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/ports.js';

const ROOT = join(import.meta.dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command with only PATH (and what is given) in its environment: no TOP keys, no secrets. */
function run(file: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}
const tsx = (script: string, args: string[], env?: Record<string, string>) => run(TSX, [script, ...args], env);
const replay = (args: string[], env?: Record<string, string>) =>
  run(process.execPath, [join(ROOT, 'scripts', 'replay', 'run.mjs'), ...args], env);

/** The one line a command printed on stderr, and its exit code. */
const failure = ({ code, stderr }: Ran) => ({ code, lines: stderr.trim().split('\n') });

let dir: string;
let closed: number;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parkflow-cli-'));
  closed = await freePort();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run send', () => {
  it('says how to start the stack when nothing answers', async () => {
    const ran = await tsx('dev/stack/send.ts', ['arrive'], { PORT: String(closed) });
    expect(failure(ran)).toEqual({
      code: 1,
      lines: [
        `error: nothing answers at http://127.0.0.1:${closed}/arrive: cannot reach 127.0.0.1:${closed} (ECONNREFUSED). Is the stack running? Start it with npm start, or set PORT to its port.`,
      ],
    });
  });

  it('names the functions when given an unknown one, and an unknown option', async () => {
    expect(failure(await tsx('dev/stack/send.ts', ['park']))).toEqual({
      code: 2,
      lines: [
        'error: usage: npm run send -- <arrive|leave|pay|payinfo-sync> [--invalid] | npm run send -- <function> --queue [--count N] [--invalid K] [--fifo] [--platform aws|fc]',
      ],
    });
    expect(failure(await tsx('dev/stack/send.ts', ['arrive', '--fast']))).toEqual({
      code: 2,
      lines: ["error: Unknown option '--fast'; --help lists the options."],
    });
  });

  it('on the queue path, says how to start the stack, and which flags go together', async () => {
    expect(failure(await tsx('dev/stack/send.ts', ['arrive', '--queue'], { LAMBDA_PORT: String(closed) }))).toEqual({
      code: 1,
      lines: [
        `error: nothing answers at http://127.0.0.1:${closed}: cannot reach 127.0.0.1:${closed} (ECONNREFUSED). Is the stack running? Start it with npm start, or set LAMBDA_PORT to its port.`,
      ],
    });
    expect(failure(await tsx('dev/stack/send.ts', ['arrive', '--invalid', '3']))).toEqual({
      code: 2,
      lines: ['error: --invalid K goes with --queue'],
    });
    expect(failure(await tsx('dev/stack/send.ts', ['arrive', '--queue', '--count', '5', '--invalid', '6']))).toEqual({
      code: 2,
      lines: ['error: --invalid 6 is more than --count 5'],
    });
  });

  it('shows the stack trace only with DEBUG', async () => {
    const ran = await tsx('dev/stack/send.ts', ['park'], { DEBUG: '1' });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/UsageError: usage: npm run send[^\n]*\n\s+at /);
  });
});

describe('npm run sign', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('refuses a path that is neither a file nor JSON, rather than signing its name', async () => {
    expect(failure(await tsx('scripts/sign.ts', [join(dir, 'missing.json'), '--secret', secret]))).toEqual({
      code: 2,
      lines: [`error: ${join(dir, 'missing.json')} is neither a file nor JSON text (npm run sign -- --help for usage)`],
    });
  });

  it('names the variable to set when there is no secret', async () => {
    expect(failure(await tsx('scripts/sign.ts', ['{}']))).toEqual({
      code: 2,
      lines: ['error: No secret: pass --secret whsec_… or set WEBHOOK_SECRETS. (npm run sign -- --help for usage)'],
    });
  });
});

describe('npm run replay', () => {
  const configured = { TOP_APP_KEY: '12345678', TOP_APP_SECRET: 'x', TOP_GATEWAY_URL: `http://127.0.0.1:1/router` };

  it('asks for --function when a file holds raw event bodies', async () => {
    const file = join(dir, 'raw.jsonl');
    writeFileSync(file, '{"mall_id":123}\n');
    expect(failure(await replay([file], configured))).toEqual({
      code: 1,
      lines: [`error: ${file}:1 is not a parkflow dead letter; pass --function <name> to replay raw event bodies.`],
    });
  });

  it('says a file is missing in plain words', async () => {
    expect(failure(await replay([join(dir, 'none.jsonl')], configured))).toEqual({
      code: 1,
      lines: [`error: ${join(dir, 'none.jsonl')}: no such file`],
    });
  });

  it('with --local, says how to start the stack when its sandbox is not running', async () => {
    expect(failure(await replay([join(dir, 'x.jsonl'), '--local'], { SANDBOX_PORT: String(closed) }))).toEqual({
      code: 2,
      lines: [
        `error: nothing answers at http://127.0.0.1:${closed}: start the stack with npm start, or set SANDBOX_PORT to its port`,
      ],
    });
  });
});

describe('npm start', () => {
  let busy: Server;
  afterAll(() => busy?.close());

  it('names the setting to change when a port is taken, before starting anything', async () => {
    busy = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => busy.once('listening', resolve));
    const { port } = busy.address() as { port: number };
    const ran = await tsx('dev/stack/main.ts', [], { PORT: '0', CONSOLE_PORT: '0', SANDBOX_PORT: String(port) });
    expect(failure(ran)).toEqual({
      code: 2,
      lines: [
        `error: port ${port} is in use (another npm start?): stop it, or set SANDBOX_PORT to a free port (0 picks one)`,
      ],
    });
  });

  it('refuses a port that is not a number', async () => {
    expect(failure(await tsx('dev/stack/main.ts', [], { PORT: 'abc' }))).toEqual({
      code: 2,
      lines: ['error: PORT must be a port number (0 for any free one)'],
    });
  });
});
