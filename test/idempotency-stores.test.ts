// One contract, three stores: memory, Redis (a real redis-server) and DynamoDB (dynalite), each
// reached the way a function reaches it.
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../dev/sandbox/index.js';
import { DynamoDbStore } from '../shared/idempotency/dynamodb-store.js';
import { RedisStore } from '../shared/idempotency/redis-store.js';
import { RespClient } from '../shared/idempotency/resp.js';
import { type IdempotencyStore, MemoryStore, StoreError } from '../shared/idempotency/store.js';
import { coldStart, DIST, invokeHttp } from './support/bundles.js';
import { AWS_TEST_SETTINGS, type Dynalite, startDynalite } from './support/dynalite.js';
import { apigwHttp, awsContext } from './support/events.js';
import { type FaultProxy, startProxy } from './support/proxy.js';
import { validEvent } from './support/queue-events.js';
import { queueEnv } from './support/queue-setup.js';
import { type RedisServer, startRedis } from './support/redis.js';

let redis: RedisServer;
let dynamo: Dynalite;
let sandbox: Sandbox;
const proxies: FaultProxy[] = [];
beforeAll(async () => {
  [redis, dynamo, sandbox] = await Promise.all([startRedis(), startDynalite(), startSandbox()]);
});
afterAll(() => Promise.all([redis.close(), dynamo.close(), sandbox.close(), ...proxies.map((p) => p.close())]));
beforeEach(() => sandbox.reset());

const DELIVERED = {
  kind: 'delivered' as const,
  request_id: 'r1',
  response: { result_dto: { success: true } },
  attempts: 1,
};
const REQUEST = { hash: 'h1', fields: { car_no: 'f1', start_time: 'f2' } };
const WAIT_MS = 2_000;

/** A loopback port that nothing listens on. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

interface Contender {
  name: string;
  /** A store, as one instance of a function opens it; at `port`, when given, instead of the real server. */
  open(port?: number): IdempotencyStore;
  /** Where the real server listens; memory has none. */
  port?: () => number;
  /** The function's settings for this store (at `port` instead, when given); memory has none to share. */
  env?: (port?: number) => Record<string, string>;
}

const dynamoAt = (port?: number) =>
  new DynamoDbStore(dynamo.table, {
    endpoint: port ? `http://127.0.0.1:${port}` : dynamo.endpoint,
    region: AWS_TEST_SETTINGS.AWS_REGION,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });

const contenders: Contender[] = [
  { name: 'memory', open: () => new MemoryStore() },
  {
    name: 'Redis',
    open: (port) => new RedisStore(port ? `redis://127.0.0.1:${port}` : redis.url),
    port: () => redis.port,
    env: (port) => ({ IDEMPOTENCY_REDIS_URL: port ? `redis://127.0.0.1:${port}` : redis.url }),
  },
  {
    name: 'DynamoDB',
    open: dynamoAt,
    port: () => Number(new URL(dynamo.endpoint).port),
    env: (port) => ({
      ...dynamo.env,
      ...(port ? { AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}` } : {}),
      IDEMPOTENCY_DYNAMODB_TABLE: dynamo.table,
    }),
  },
];

let n = 0;
/** A key no other test has used: the stores are shared by the whole file. */
const freshKey = () => `parkflow:idem:test-${process.pid}-${++n}`;

describe.each(contenders)('the $name store', (c) => {
  it('lets exactly one of many concurrent claims through, and answers the rest with the record', async () => {
    // One memory store serves one instance; the shared stores are opened once per contender, as instances do.
    const shared = c.port !== undefined;
    const single = c.open();
    const stores = Array.from({ length: 8 }, () => (shared ? c.open() : single));
    const key = freshKey();
    const claims = await Promise.all(stores.map((s) => s.claim(key, 10_000, WAIT_MS)));
    expect(claims.filter((x) => x.claimed)).toHaveLength(1);
    expect(claims.filter((x) => !x.claimed).map((x) => !x.claimed && x.record.status)).toEqual(
      Array(7).fill('in_progress'),
    );
    await Promise.all([...new Set(stores)].map((s) => s.close()));
  });

  it('a claim that expired can be taken again, and so can an expired delivery', async () => {
    const store = c.open();
    const key = freshKey();
    expect((await store.claim(key, 100, WAIT_MS)).claimed).toBe(true);
    expect((await store.claim(key, 10_000, WAIT_MS)).claimed).toBe(false);
    await new Promise((r) => setTimeout(r, 250));
    const again = await store.claim(key, 10_000, WAIT_MS);
    expect(again.claimed).toBe(true);
    // A delivery past its time is gone too (DynamoDB's TTL deletes late: reads must not count on it).
    await store.complete(key, { outcome: DELIVERED, request: REQUEST }, 100, WAIT_MS);
    await new Promise((r) => setTimeout(r, 250));
    expect((await store.claim(key, 10_000, WAIT_MS)).claimed).toBe(true);
    await store.close();
  });

  it('a completed key is answered with the delivery and the print of the request sent', async () => {
    const store = c.open();
    const key = freshKey();
    const claim = await store.claim(key, 10_000, WAIT_MS);
    if (!claim.claimed) throw new Error('not claimed');
    await store.complete(key, { outcome: DELIVERED, request: REQUEST }, 60_000, WAIT_MS);
    const reader = c.port ? c.open() : store;
    expect(await reader.claim(key, 10_000, WAIT_MS)).toEqual({
      claimed: false,
      record: { status: 'complete', outcome: DELIVERED, request: REQUEST },
    });
    // Releasing with the old claim's token cannot undo a delivery.
    await store.release(key, claim.token, WAIT_MS);
    expect((await reader.claim(key, 10_000, WAIT_MS)).claimed).toBe(false);
    await Promise.all([...new Set([store, reader])].map((s) => s.close()));
  });

  it("only the claim's owner can release it", async () => {
    const store = c.open();
    const key = freshKey();
    const claim = await store.claim(key, 10_000, WAIT_MS);
    if (!claim.claimed) throw new Error('not claimed');
    await store.release(key, 'not-the-token', WAIT_MS);
    expect((await store.claim(key, 10_000, WAIT_MS)).claimed).toBe(false);
    await store.release(key, claim.token, WAIT_MS);
    expect((await store.claim(key, 10_000, WAIT_MS)).claimed).toBe(true);
    await store.close();
  });

  it.skipIf(!c.port)('an unreachable store fails the claim at once, with a reason', async () => {
    const store = c.open(await closedPort());
    const started = Date.now();
    await expect(store.claim(freshKey(), 10_000, WAIT_MS)).rejects.toThrow(/ECONNREFUSED|connect|refused/i);
    expect(Date.now() - started).toBeLessThan(WAIT_MS);
    await store.close();
  });

  it.skipIf(!c.port)('a slow store fails the claim when the wait is up, well before it answers', async () => {
    const proxy = await startProxy({ port: c.port?.() ?? 0 });
    proxy.delay(5_000);
    proxies.push(proxy);
    const store = c.open(proxy.port);
    const started = Date.now();
    // Each store waits what it is given, and no longer.
    await expect(store.claim(freshKey(), 10_000, 500)).rejects.toThrow(/within|answer/);
    expect(Date.now() - started).toBeLessThan(3_000);
    await store.close();
  });

  it.skipIf(!c.env)(
    'a function whose store is unreachable or slow sends nothing, and answers before its deadline',
    async () => {
      const proxy = await startProxy({ port: c.port?.() ?? 0 });
      proxy.delay(10_000);
      proxies.push(proxy);
      for (const port of [await closedPort(), proxy.port]) {
        const handler = coldStart('arrive', queueEnv(sandbox, c.env?.(port)));
        const started = Date.now();
        // Six seconds left, enough to start the event: the claim must give up within the store's own
        // wait, not when the store answers.
        const answer = await invokeHttp(handler, apigwHttp(validEvent('arrive', ++n)), awsContext(6_000));
        expect(Date.now() - started).toBeLessThan(3_000);
        expect(answer.statusCode).toBe(503);
        expect(answer.json.error.code).toBe('idempotency_unavailable');
      }
      expect(sandbox.calls).toHaveLength(0);
    },
  );

  it.skipIf(!c.env)('two function processes racing on one event: exactly one sends', async () => {
    sandbox.addFault({ kind: 'slow', delayMs: 1_000 });
    const env = { ...process.env, ...queueEnv(sandbox, c.env?.()) } as NodeJS.ProcessEnv;
    const event = JSON.stringify(apigwHttp(validEvent('arrive', ++n)));
    // Each process loads the bundle and calls its handler as Lambda's runtime does.
    const script = `
      const { handler } = require(process.argv[1]);
      const end = Date.now() + 15000;
      const context = { awsRequestId: 'race-' + process.pid, getRemainingTimeInMillis: () => end - Date.now() };
      handler(JSON.parse(process.argv[2]), context).then((r) => process.stdout.write('\\nanswer ' + JSON.stringify(r)));`;
    const run = () =>
      promisify(execFile)(process.execPath, ['-e', script, join(DIST, 'arrive', 'index.js'), event], { env });
    const answers = (await Promise.all([run(), run()])).map(({ stdout }) => {
      // Log lines come first, the answer last.
      const r = JSON.parse(stdout.slice(stdout.lastIndexOf('\nanswer ') + 8)) as { statusCode: number; body: string };
      return { status: r.statusCode, ...(JSON.parse(r.body) as { duplicate?: boolean; error?: { code: string } }) };
    });
    expect(sandbox.calls).toHaveLength(1);
    // The other one was either told the event is being sent, or (if it came late) answered from the store.
    const sent = answers.filter((a) => a.status === 200 && !a.duplicate);
    const others = answers.filter((a) => a !== sent[0]);
    expect(sent).toHaveLength(1);
    expect(others[0]?.status === 503 ? others[0].error?.code : others[0]?.duplicate).toSatisfy(
      (v) => v === 'in_progress' || v === true,
    );
  });
});

describe('a record under the key that parkflow did not write', () => {
  it('Redis: the claim fails with a StoreError that says so, quoting nothing of the record', async () => {
    const key = freshKey();
    const raw = new RespClient(redis.url);
    await raw.command(['SET', key, '{"status":"complete","outcome":', 'PX', '60000'], WAIT_MS);
    raw.close();
    const store = new RedisStore(redis.url);
    const claim = store.claim(key, 10_000, WAIT_MS);
    await expect(claim).rejects.toBeInstanceOf(StoreError);
    await expect(claim).rejects.toThrow(/^Redis holds a record under the key that parkflow did not write$/);
    await store.close();
  });

  it('DynamoDB: the claim fails with a StoreError that says so, quoting nothing of the record', async () => {
    const key = freshKey();
    const { DynamoDBClient, PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: AWS_TEST_SETTINGS.AWS_REGION,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    const expires = Date.now() + 60_000;
    await client.send(
      new PutItemCommand({
        TableName: dynamo.table,
        Item: {
          pk: { S: key },
          status: { S: 'complete' },
          record: { S: '{"outcome":' },
          expires_ms: { N: String(expires) },
          expiry: { N: String(Math.ceil(expires / 1000)) },
        },
      }),
    );
    client.destroy();
    const store = dynamoAt();
    const claim = store.claim(key, 10_000, WAIT_MS);
    await expect(claim).rejects.toBeInstanceOf(StoreError);
    await expect(claim).rejects.toThrow(/^DynamoDB holds a record under the key that parkflow did not write$/);
    await store.close();
  });
});
