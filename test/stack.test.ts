// `npm start`'s stack run as a user runs it (a child process, on free ports), and `npm run send` against it.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_APP_SECRET } from '../dev/sandbox/index.js';
import { sample } from '../dev/stack/samples.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** The environment of a fresh shell: no TOP keys, so the stack uses its sandbox; every port free. */
const shellEnv = (extra: Record<string, string> = {}) => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    CONSOLE_PORT: '0',
    SANDBOX_PORT: '0',
    LAMBDA_PORT: '0',
    ...extra,
  };
  for (const name of Object.keys(env)) if (name.startsWith('TOP_')) delete env[name];
  return env;
};

let child: ChildProcess;
let output = '';
let urls: { functions: string; console: string; sandbox: string; lambda: string };

// What `npm start` runs once it has built the bundles (the tests' global setup has built them).
beforeAll(async () => {
  child = spawn(TSX, ['dev/stack/main.ts'], { cwd: ROOT, env: shellEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('Ctrl-C stops it.')) resolve();
      if (child.exitCode !== null) reject(new Error(`the stack exited:\n${output}`));
    }, 50);
    child.once('exit', () => clearInterval(timer));
    setTimeout(() => clearInterval(timer), 50_000);
  });
  const url = (label: string) => new RegExp(`^\\s+${label}\\s+(http://\\S+)`, 'm').exec(output)?.[1] ?? '';
  urls = {
    functions: url('functions'),
    console: url('console'),
    sandbox: url('TOP sandbox'),
    lambda: url('lambda API'),
  };
}, 60_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

const calls = async () => (await fetch(`${new URL(urls.sandbox).origin}/_admin/calls`)).json() as Promise<any[]>;
const send = (args: string[], port = new URL(urls.functions).port) =>
  run('npm', ['run', '--silent', 'send', '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, PORT: port, LAMBDA_PORT: new URL(urls.lambda).port },
  });
const consoleEvents = async () => (await (await fetch(`${urls.console}/api/events`)).json()) as any[];

describe('npm start', () => {
  it('prints where the functions, the console and the sandbox are', () => {
    expect(urls.functions).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(urls.console).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(urls.sandbox).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/router\/rest$/);
    expect(output).not.toContain(SANDBOX_APP_SECRET);
  });

  it('prints a curl for each function that reaches TOP as printed', async () => {
    const curls = output.split('\n').filter((line) => line.trim().startsWith('curl '));
    expect(curls.map((c) => /\/([a-z-]+) -H/.exec(c)?.[1])).toEqual(['arrive', 'leave', 'pay', 'payinfo-sync']);
    for (const curl of curls) {
      const { stdout } = await run('bash', ['-c', `${curl} -s -w ' %{http_code}'`]);
      expect(stdout).toMatch(/^\{"ok":true,"request_id":"\w+","attempts":1\} 200$/);
    }
    const received = await calls();
    expect(received).toHaveLength(4);
    for (const call of received) expect(call).toMatchObject({ signature: 'valid', status: 200 });
  });

  it('shows each event in the console with its TOP call, plates and mobiles masked', async () => {
    const events = (await (await fetch(`${urls.console}/api/events`)).json()) as any[];
    const arrive = events.find((e) => e.function === 'arrive');
    expect(arrive).toMatchObject({
      trigger: 'apigw-http',
      outcome: 'delivered',
      method: 'tmall.popupstore.park.backflow',
    });
    expect(arrive.calls).toHaveLength(1);
    expect(arrive.calls[0].params).toMatchObject({ car_no: '浙A****5', mobile: '159****5789', action: 'arrive' });
    expect(arrive.calls[0].response.tmall_popupstore_park_backflow_response.request_id).toBe(arrive.request_id);
    const text = JSON.stringify(events);
    expect(text).not.toContain('浙A12345');
    expect(text).not.toContain('15988855789');
  });

  it('answers a GET or PUT on a function with its 405 JSON error, as deployed', async () => {
    for (const method of ['GET', 'PUT']) {
      const res = await fetch(`${urls.functions}/arrive`, { method });
      expect([res.status, res.headers.get('allow'), await res.json()]).toEqual([
        405,
        'POST',
        { ok: false, error: { code: 'method_not_allowed', message: 'POST the event as JSON.' } },
      ]);
    }
  });

  it('npm run send posts a sample and prints the answer', async () => {
    const { stdout } = await send(['payinfo-sync']);
    expect(stdout).toContain(`POST ${urls.functions}/payinfo-sync`);
    expect(stdout).toMatch(/200 OK\n\{\n {2}"ok": true/);
    expect((await calls())[0]).toMatchObject({
      method: 'taobao.taojie.parking.order.payinfo.sync',
      signature: 'valid',
    });
  });

  it('npm run send --invalid shows the errors, exits 1, and nothing reaches TOP', async () => {
    const before = (await calls()).length;
    const { code, stdout } = await send(['leave', '--invalid']).catch((err) => err);
    expect(code).toBe(1);
    expect(stdout).toContain('400 Bad Request');
    expect(stdout).toContain('"code": "invalid_input"');
    expect((await calls()).length).toBe(before);
  });

  it('npm run replay -- --local replays a file to its sandbox, with its test app', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parkflow-stack-'));
    const file = join(dir, 'raw.jsonl');
    writeFileSync(file, `${JSON.stringify(sample('arrive'))}\n`);
    const before = (await calls()).length;
    const sandboxPort = new URL(urls.sandbox).port;
    const { stderr } = await run(
      process.execPath,
      ['scripts/replay/run.mjs', file, '--function', 'arrive', '--local'],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, SANDBOX_PORT: sandboxPort },
      },
    );
    rmSync(dir, { recursive: true, force: true });
    expect(stderr).toMatch(/Replayed 1 event\(s\):\n {2}delivered: 1/);
    const received = await calls();
    expect(received).toHaveLength(before + 1);
    expect(received[0]).toMatchObject({ method: 'tmall.popupstore.park.backflow', signature: 'valid', status: 200 });
  });

  it('npm run send --queue delivers SQS batches through the Lambda invoke API and prints the batchItemFailures', async () => {
    const { code, stdout } = await send(['arrive', '--queue', '--count', '20', '--invalid', '3']).catch((err) => err);
    expect(code).toBe(1);
    const failures = [...stdout.matchAll(/^batch \d: 10 record\(s\): (.*)$/gm)].flatMap(
      ([, answer]) => JSON.parse(answer).batchItemFailures as { itemIdentifier: string }[],
    );
    expect(failures).toHaveLength(3);
    expect(stdout).toContain('17 done, 3 failed');
    const queued = (await consoleEvents()).filter((e) => e.trigger === 'sqs');
    expect(queued).toHaveLength(20);
    expect(new Set(queued.map((e) => e.platform_request_id)).size).toBe(2);
    const invalid = queued.filter((e) => e.outcome === 'invalid').map((e) => e.record_id);
    expect(invalid.sort()).toEqual(failures.map((f) => f.itemIdentifier).sort());
  });

  it('npm run send --queue --fifo and --platform fc send a FIFO batch and an FC EventBridge batch', async () => {
    const fifo = await send(['pay', '--queue', '--fifo', '--count', '4']);
    expect(fifo.stdout).toContain('4 SQS FIFO record(s)');
    expect(fifo.stdout).toContain('batch 1: 4 record(s): {"batchItemFailures":[]}');
    const fc = await send(['leave', '--queue', '--platform', 'fc', '--count', '3', '--invalid', '1']).catch((e) => e);
    expect(fc.code).toBe(1);
    expect(fc.stdout).toMatch(
      /batch 1: 3 record\(s\): the invocation failed, so the platform retries the whole batch: 1 of 3 records are not done/,
    );
    const events = await consoleEvents();
    expect(events.filter((e) => e.trigger === 'sqs-fifo' && e.outcome === 'delivered')).toHaveLength(4);
    expect(
      events
        .filter((e) => e.trigger === 'eventbridge-mns')
        .map((e) => e.outcome)
        .sort(),
    ).toEqual(['delivered', 'delivered', 'invalid']);
  });

  it('stops on SIGTERM', async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    await expect(fetch(`${urls.functions}/arrive`, { method: 'POST' })).rejects.toThrow();
    await expect(fetch(urls.console)).rejects.toThrow();
  });
});
