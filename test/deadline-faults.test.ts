// Every wait inside the deadline: the bundles against a real redis-server and the sandbox gateway
// behind a TCP proxy that delays, trickles, stalls or refuses, with the answer timed against the deadline.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Sandbox, startSandbox } from '../dev/sandbox/index.js';
import { coldStart, invokeHttp } from './support/bundles.js';
import { AWS_TEST_SETTINGS } from './support/dynalite.js';
import { apigwHttp, awsContext, fcContext } from './support/events.js';
import { doneUnseen, noteTime, printTimes, reserveOf, sqsBatch, timedHttp } from './support/fault-run.js';
import { type Captured, captureLogs } from './support/output.js';
import { type FaultProxy, startProxy } from './support/proxy.js';
import { eventBridgeEvent, INVALID_EVENT, sqsEvent, validEvent } from './support/queue-events.js';
import { acceptedPerPlate, queueEnv } from './support/queue-setup.js';
import { type RedisServer, startRedis } from './support/redis.js';

let redis: RedisServer;
let sandbox: Sandbox;
let redisProxy: FaultProxy;
let topProxy: FaultProxy;
let logs: Captured;

beforeAll(async () => {
  [redis, sandbox] = await Promise.all([startRedis(), startSandbox()]);
  [redisProxy, topProxy] = await Promise.all([
    startProxy({ port: redis.port }),
    startProxy({ port: Number(new URL(sandbox.origin).port) }),
  ]);
});
afterAll(async () => {
  printTimes();
  await Promise.all([redisProxy.close(), topProxy.close()]);
  await Promise.all([redis.close(), sandbox.close()]);
});
beforeEach(() => {
  sandbox.reset();
  logs = captureLogs();
});
afterEach(() => {
  vi.restoreAllMocks();
  redisProxy.heal();
  topProxy.heal();
});

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
/** The sandbox's router URL, reached through the proxy. */
const viaProxy = (scheme = 'http') => `${scheme}://127.0.0.1:${topProxy.port}/router/rest`;
const storeErrors = () =>
  logs
    .lines('stderr')
    .filter((l) => l.msg === 'idempotency_store')
    .map((l) => l.error as string);
const reasons = () => new Set(logs.lines('stdout').map((l) => l.reason as string | undefined));

describe('a slow Redis', () => {
  it('100 records, Redis 3 s late, 6 s left: answered within the deadline, nothing sent; once Redis is back, nothing is sent twice', async () => {
    redisProxy.delay(3_000);
    const env = queueEnv(sandbox, {
      IDEMPOTENCY_REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
      TOP_GATEWAY_URL: viaProxy(),
    });
    const handler = coldStart('arrive', env);
    const run = await sqsBatch(handler, range(0, 100), 6_000);
    noteTime('SQS 100 records, Redis 3 s late, 6 s left', run, 6_000);
    expect(run.elapsedMs).toBeLessThan(6_000 - reserveOf(6_000) / 2);
    expect(run.failed).toHaveLength(100);
    expect(sandbox.calls).toHaveLength(0);
    // The operator's log says why; records the time could not cover were not started.
    expect(storeErrors().length).toBeGreaterThan(0);
    expect(storeErrors().every((e) => /^Redis timed out: no answer within \d+ ms$/.test(e))).toBe(true);
    expect(reasons()).toEqual(new Set(['idempotency_unavailable', 'deadline']));

    redisProxy.heal();
    const again = await sqsBatch(handler, range(0, 100), 10_000);
    expect(doneUnseen(sandbox, again)).toEqual([]);
    expect(again.done.length).toBeGreaterThan(0);
    // Claims that reached Redis late hold their keys until they expire: those come back, not sent.
    expect(Math.max(...acceptedPerPlate(sandbox).values())).toBe(1);
  });

  it('with less time left than a claim and a TOP attempt need: HTTP 503 with Retry-After at once; FC throws for a redelivery', async () => {
    redisProxy.delay(3_000);
    const handler = coldStart(
      'arrive',
      queueEnv(sandbox, { IDEMPOTENCY_REDIS_URL: `redis://127.0.0.1:${redisProxy.port}` }),
    );
    const { res, elapsedMs } = await timedHttp('HTTP, Redis 3 s late, 2 s left (not started)', handler, 2_000);
    expect(elapsedMs).toBeLessThan(200);
    expect(res.statusCode).toBe(503);
    expect(res.json.error.code).toBe('deadline');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);

    const batch = eventBridgeEvent(
      'mns',
      range(0, 30).map((n) => validEvent('arrive', n)),
      { batch: true },
    );
    const fcStarted = Date.now();
    await expect(handler(batch, fcContext(3))).rejects.toThrow(/30 of 30 records are not done/);
    noteTime('FC batch of 30, Redis 3 s late, 3 s left', { elapsedMs: Date.now() - fcStarted }, 3_000);
    expect(Date.now() - fcStarted).toBeLessThan(3_000);
    expect(sandbox.calls).toHaveLength(0);
  });

  it('a refused password is named in the log line, never the password; the caller gets idempotency_unavailable', async () => {
    const secured = await startRedis({ password: 'right-one' });
    try {
      const handler = coldStart(
        'arrive',
        queueEnv(sandbox, { IDEMPOTENCY_REDIS_URL: `redis://:hunter2-secret@127.0.0.1:${secured.port}` }),
      );
      const res = await invokeHttp(handler, apigwHttp(validEvent('arrive', 1)), awsContext());
      expect(res.statusCode).toBe(503);
      expect(res.json.error.code).toBe('idempotency_unavailable');
      expect(storeErrors()).toEqual(['Redis refused the password (WRONGPASS)']);
      const written = JSON.stringify([logs.lines('stdout'), logs.lines('stderr'), res]);
      expect(written).not.toContain('hunter2');
      expect(sandbox.calls).toHaveLength(0);
    } finally {
      await secured.close();
    }
  });
});

describe('a slow or failing gateway', () => {
  it('stalled: 20 records with 2 s left answer within the deadline, none done; after it heals each is sent once', async () => {
    topProxy.stall();
    const handler = coldStart('arrive', queueEnv(sandbox, { TOP_GATEWAY_URL: viaProxy() }));
    const run = await sqsBatch(handler, range(0, 20), 2_000);
    noteTime('SQS 20 records, gateway stalled, 2 s left', run, 2_000);
    expect(run.elapsedMs).toBeLessThan(2_000);
    expect(run.failed).toHaveLength(20);
    expect(sandbox.calls).toHaveLength(0);

    // The network comes back later: the requests given up on by then are gone with their connections.
    await new Promise((resolve) => setTimeout(resolve, 100));
    topProxy.heal();
    const again = await sqsBatch(handler, range(0, 20), 10_000);
    expect(again.failed).toEqual([]);
    expect([...acceptedPerPlate(sandbox).values()]).toEqual(Array(20).fill(1));
  });

  it('stops taking connections mid-batch: what it never saw is listed for retry; once back, nothing is sent twice', async () => {
    sandbox.addFault({ kind: 'slow', delayMs: 100 });
    const handler = coldStart('arrive', queueEnv(sandbox, { TOP_GATEWAY_URL: viaProxy(), TOP_CONCURRENCY: '4' }));
    const stop = sandbox.onCall(() => {
      if (sandbox.calls.length === 8) void topProxy.refuse();
    });
    const run = await sqsBatch(handler, range(0, 40), 3_000);
    stop();
    noteTime('SQS 40 records, gateway refuses connections after 8 calls, 3 s left', run, 3_000);
    expect(run.elapsedMs).toBeLessThan(3_000);
    expect(run.done.length).toBeGreaterThanOrEqual(8);
    expect(run.failed.length).toBeGreaterThan(0);
    expect(doneUnseen(sandbox, run)).toEqual([]);
    expect(sandbox.calls).toHaveLength(run.done.length);

    await topProxy.accept();
    sandbox.clearFaults();
    const again = await sqsBatch(handler, range(0, 40), 10_000);
    expect(again.failed).toEqual([]);
    expect([...acceptedPerPlate(sandbox).values()]).toEqual(Array(40).fill(1));
  });

  it('an answer trickling in a byte at a time: 503 within the deadline, and the record is not done', async () => {
    topProxy.trickle(10);
    const handler = coldStart('arrive', queueEnv(sandbox, { TOP_GATEWAY_URL: viaProxy() }));
    const { res, elapsedMs } = await timedHttp('HTTP, answer trickling a byte per 10 ms, 2 s left', handler, 2_000);
    expect(elapsedMs).toBeLessThan(2_000);
    expect(res.statusCode).toBe(503);
    expect(res.json.error.code).toBe('timeout');
    // The gateway got the call, but its answer never came in time: not done, so the sender retries.
    expect(sandbox.calls).toHaveLength(1);
  });
});

describe('a stalled queue', () => {
  it('3 invalid records with 2 s left: answered within the deadline, listed for retry since not dead-lettered', async () => {
    topProxy.stall();
    const dlq = `http://127.0.0.1:${topProxy.port}/123456789012/parkflow-arrive-dlq`;
    const handler = coldStart('arrive', queueEnv(sandbox, { DEAD_LETTER_SQS_URL: dlq }));
    // The SDK warns that it sends to the queue URL's host, which is the point here.
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const event = await sqsEvent([0, 1, 2].map((n) => ({ body: INVALID_EVENT, messageId: `m-${n}` })));
    const started = Date.now();
    const answer = await handler(event, awsContext(2_000));
    noteTime('SQS 3 invalid records, dead-letter queue stalled, 2 s left', { elapsedMs: Date.now() - started }, 2_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(answer).toEqual({ batchItemFailures: ['m-0', 'm-1', 'm-2'].map((itemIdentifier) => ({ itemIdentifier })) });
    expect(logs.lines('stderr').filter((l) => l.msg === 'dead_letter')).toHaveLength(3);
  });

  it('queue mode, the SQS queue stalled, 2 s left: 503 queue_unavailable within the deadline', async () => {
    topProxy.stall();
    const queue = `http://127.0.0.1:${topProxy.port}/123456789012/parkflow-arrive`;
    const handler = coldStart('arrive', queueEnv(sandbox, { DELIVERY_MODE: 'queue', DELIVERY_QUEUE_URL: queue }));
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { res, elapsedMs } = await timedHttp('HTTP, queue mode, SQS queue stalled, 2 s left', handler, 2_000);
    expect(elapsedMs).toBeLessThan(2_000);
    expect(res.statusCode).toBe(503);
    expect(res.json.error.code).toBe('queue_unavailable');
  });
});

describe('a stalled Secrets Manager', () => {
  // Settings of this case alone: the later cases take the TOP secret from the environment.
  afterEach(() => {
    delete process.env.TOP_SECRET_ID;
    delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
  });

  it("a first event with 1.5 s left is answered within them, though the TOP secret's read is not", async () => {
    topProxy.stall();
    const handler = coldStart('arrive', {
      ...queueEnv(sandbox, {
        ...AWS_TEST_SETTINGS,
        TOP_SECRET_ID: 'parkflow/top',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${topProxy.port}`,
      }),
      TOP_APP_SECRET: undefined,
    });
    const { res, elapsedMs } = await timedHttp(
      'HTTP, first event, Secrets Manager stalled, 1.5 s left',
      handler,
      1_500,
    );
    expect(elapsedMs).toBeLessThan(1_500);
    expect(res.statusCode).toBe(500);
    expect(res.json.error.message).toMatch(/TOP secret was not read within the invocation's time/);
    expect(sandbox.calls).toHaveLength(0);
  });
});

describe('an oversized answer', () => {
  let big: Server;
  let url: string;
  beforeAll(async () => {
    big = createServer((req, res) => {
      req.resume();
      if (req.url?.startsWith('/sized')) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(3 * 1024 * 1024) });
      } else res.writeHead(200, { 'content-type': 'application/json' });
      // Written until the client gives up.
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
      res.on('error', () => {});
    });
    await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(big.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    big.closeAllConnections();
    return new Promise<void>((resolve) => big.close(() => resolve()));
  });

  it.each([
    ['with its length given', '/sized', /the answer is 3145728 bytes, more than the 1048576/],
    ['sent in chunks', '/chunked', /the answer is over 1048576 bytes/],
  ])('%s: a transient failure naming the size, not sent again', async (_name, path, size) => {
    const handler = coldStart('arrive', queueEnv(sandbox, { TOP_GATEWAY_URL: `${url}${path}` }));
    const res = await invokeHttp(handler, apigwHttp(validEvent('arrive', 1)), awsContext());
    expect(res.statusCode).toBe(503);
    expect(res.json.error.code).toBe('bad_response');
    expect(res.json.error.message).toMatch(size);
    expect(res.json.attempts).toBe(1);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('the connect timeout', () => {
  it('after a first event with 300 ms left, a later connect gets the full TOP_CONNECT_TIMEOUT_MS', async () => {
    // A TLS handshake that never gets an answer: the connection never opens.
    topProxy.stall();
    const handler = coldStart(
      'arrive',
      queueEnv(sandbox, { TOP_GATEWAY_URL: viaProxy('https'), TOP_CONNECT_TIMEOUT_MS: '1000', TOP_MAX_ATTEMPTS: '1' }),
    );
    const first = await invokeHttp(handler, apigwHttp(validEvent('arrive', 1)), awsContext(300));
    expect(first.statusCode).toBe(503);
    const started = Date.now();
    const later = await invokeHttp(handler, apigwHttp(validEvent('arrive', 2)), awsContext(10_000));
    const elapsed = Date.now() - started;
    expect(later.statusCode).toBe(503);
    expect(later.json.error.message).toMatch(/no connection within 1000 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(950);
  });
});
