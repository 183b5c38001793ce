import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../dev/sandbox/index.js';
import { coldStart } from './support/bundles.js';
import { sentSqsMessages, startSqs } from './support/cloud-stand-ins.js';
import { awsContext } from './support/events.js';
import { INVALID_EVENT, sqsEvent, validEvent } from './support/queue-events.js';
import { acceptedPerPlate, queueEnv } from './support/queue-setup.js';
import { type RedisServer, startRedis } from './support/redis.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');

let sandbox: Sandbox;
let sqs: Awaited<ReturnType<typeof startSqs>>;
let redis: RedisServer;
let dir: string;
beforeAll(async () => {
  [sandbox, sqs, redis] = await Promise.all([startSandbox(), startSqs(), startRedis()]);
  dir = mkdtempSync(join(tmpdir(), 'parkflow-replay-'));
});
afterAll(async () => {
  await Promise.all([sandbox.close(), sqs.close(), redis.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function replay(args: string[], env: Record<string, string | undefined>) {
  const clean = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined));
  return run(process.execPath, [join(ROOT, 'scripts', 'replay', 'run.mjs'), ...args], { env: clean, cwd: ROOT }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

describe('npm run replay', () => {
  it('re-sends dead letters from a file, answers the ones delivered before from the store, and keeps what still fails', async () => {
    const env = queueEnv(sandbox, { IDEMPOTENCY_REDIS_URL: redis.url, DEAD_LETTER_SQS_URL: `${sqs.origin}/1/dlq` });
    // A batch: event 1 is delivered, event 2 refused (isv) and the invalid one are dead-lettered.
    sandbox.addFault({ kind: 'isv', count: 1 });
    const handler = coldStart('arrive', { ...env, TOP_CONCURRENCY: '1' });
    const batch = await sqsEvent([
      { body: validEvent('arrive', 2) },
      { body: validEvent('arrive', 1) },
      { body: INVALID_EVENT },
    ]);
    expect(await handler(batch, awsContext())).toEqual({ batchItemFailures: [] });
    const letters = sentSqsMessages(sqs).map((m) => m.MessageBody);
    expect(letters).toHaveLength(2);
    // The file an operator saved from the dead-letter queue, plus a redelivered copy of event 1 as a raw body.
    const file = join(dir, 'dead-letters.jsonl');
    writeFileSync(file, `${[...letters, JSON.stringify(validEvent('arrive', 1))].join('\n')}\n`);

    const result = await replay([file, '--function', 'arrive'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('3/3 (100%)');
    expect(result.stderr).toMatch(/Replayed 3 event\(s\):/);
    expect(result.stderr).toMatch(/delivered: 1/);
    expect(result.stderr).toMatch(/delivered before \(not sent again\): 1/);
    expect(result.stderr).toMatch(/invalid: 1/);
    expect(result.stderr).toMatch(/not done: arrive \S+: invalid: The event has \d+ problems?/);
    expect([...acceptedPerPlate(sandbox).values()]).toEqual([1, 1]);
    const remaining = readFileSync(`${file}.remaining.jsonl`, 'utf8').trim().split('\n');
    expect(remaining).toHaveLength(1);
    expect(JSON.parse(remaining[0] ?? '')).toMatchObject({ outcome: 'invalid' });
  });

  it('drains an SQS dead-letter queue, deleting each message once it is delivered', async () => {
    sandbox.reset();
    sqs.queued.length = 0;
    const dlq = `${sqs.origin}/123456789012/parkflow-leave-dlq`;
    const env = queueEnv(sandbox, { IDEMPOTENCY_REDIS_URL: redis.url, DEAD_LETTER_SQS_URL: dlq });
    // 12 refused events (more than one ReceiveMessage batch) and one invalid one, dead-lettered by the function.
    sandbox.addFault({ kind: 'isv', count: 12 });
    const handler = coldStart('leave', env);
    const events = Array.from({ length: 12 }, (_, n) => ({ body: validEvent('leave', 100 + n) }));
    const batch = await sqsEvent([...events, { body: INVALID_EVENT }]);
    expect(await handler(batch, awsContext())).toEqual({ batchItemFailures: [] });
    expect(sqs.queued).toHaveLength(13);

    const result = await replay([dlq], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Replayed 13 event\(s\):/);
    expect(result.stderr).toMatch(/delivered: 12/);
    expect([...acceptedPerPlate(sandbox).values()]).toEqual(Array(12).fill(1));
    // Only the invalid one is left in the queue.
    expect(sqs.queued.map((m) => JSON.parse(m.Body).outcome)).toEqual(['invalid']);
  });

  it('answers a missing setting with one line naming it, not a stack trace', async () => {
    const file = join(dir, 'one.jsonl');
    writeFileSync(file, `${JSON.stringify(validEvent('arrive', 1))}\n`);
    const before = sandbox.calls.length;
    const result = await replay([file, '--function', 'arrive'], { ...queueEnv(sandbox), TOP_APP_SECRET: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /^error: parkflow is not configured: TOP_APP_SECRET is not set[^\n]*pass --local to replay to npm start's sandbox\.$/,
    );
    expect(sandbox.calls).toHaveLength(before);
  });

  it('says how to use it when called without a source', async () => {
    const result = await replay([], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Usage: npm run replay/);
  });
});
