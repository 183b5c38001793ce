// The app's call limit: its three backends (this instance's memory, a real redis-server, DynamoDB
// through dynalite) and its store faults.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../shared/config.js';
import { DynamoDbTable } from '../shared/idempotency/dynamodb.js';
import { type LimitBackend, nextTurn, type TakeRequest } from '../shared/limit/backend.js';
import { DynamoDbLimit } from '../shared/limit/dynamodb.js';
import { Limiter, type Pass, type Refusal } from '../shared/limit/limiter.js';
import { MemoryLimit } from '../shared/limit/memory.js';
import { RedisLimit } from '../shared/limit/redis.js';
import { AWS_TEST_SETTINGS, type Dynalite, startDynalite } from './support/dynalite.js';
import { startProxy } from './support/proxy.js';
import { flushRedis, type RedisServer, startRedis } from './support/redis.js';

let redis: RedisServer;
let dynamo: Dynalite;
beforeAll(async () => {
  [redis, dynamo] = await Promise.all([startRedis(), startDynalite()]);
});
afterAll(() => Promise.all([redis.close(), dynamo.close()]));
/** The app key of this test: the dynalite table is kept for the whole file. */
let app = '';
let tests = 0;
beforeEach(async () => {
  app = `1234${++tests}`;
  await flushRedis(redis.url);
});

/** An instance's limit in DynamoDB (dynalite, or whatever listens at `endpoint`). */
const dynamoLimit = (endpoint = dynamo.endpoint) =>
  new DynamoDbLimit(
    new DynamoDbTable(dynamo.table, {
      endpoint,
      region: AWS_TEST_SETTINGS.AWS_REGION,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    }),
    app,
  );
const redisLimit = () => new RedisLimit(redis.url, app);
/** The shared backends, each opened as one instance opens it. */
const shared: [string, () => LimitBackend][] = [
  ['Redis', redisLimit],
  ['DynamoDB', () => dynamoLimit()],
];

/** What a step may wait for Redis. */
const W = 1_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const take = (backend: LimitBackend, extra: Partial<TakeRequest> = {}) =>
  backend.take({ rate: { perSecond: 10, burst: 3 }, maxWaitMs: 10_000, token: 'a', ...extra }, W);
const waitOf = async (backend: LimitBackend, extra: Partial<TakeRequest> = {}) => {
  const turn = await take(backend, extra);
  if (!turn.go) throw new Error(`refused: ${JSON.stringify(turn)}`);
  return turn.waitMs;
};

describe('GCRA', () => {
  it('lets `burst` calls go at once, then one every 1/rate; a quiet spell refills the burst', () => {
    const rate = { perSecond: 10, burst: 3 };
    let tat = 0;
    const waits = [];
    for (let i = 0; i < 5; i++) {
      const turn = nextTurn(tat, 1_000, rate);
      waits.push(turn.waitMs);
      tat = turn.tat;
    }
    expect(waits).toEqual([0, 0, 0, 100, 200]);
    expect(nextTurn(tat, 1_000 + 800, rate).waitMs).toBe(0);
  });
});

// The rate through two handles on one backend: for Redis and DynamoDB two clients (two instances), for memory the same object.
describe.each<[string, () => LimitBackend, (first: LimitBackend) => LimitBackend]>([
  ['memory', () => new MemoryLimit(), (m) => m],
  ...shared.map(([name, open]) => [name, open, open] as [string, () => LimitBackend, () => LimitBackend]),
])('%s limit', (_, open, other) => {
  let a: LimitBackend;
  let b: LimitBackend;
  beforeEach(() => {
    a = open();
    b = other(a);
  });
  afterEach(async () => {
    await a.close();
    await b.close();
  });

  it('books turns at the rate, shared by its callers, and refuses one beyond the longest wait without booking it', async () => {
    const waits = [await waitOf(a), await waitOf(b), await waitOf(a), await waitOf(b)];
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBeGreaterThan(60);
    expect(waits[3]).toBeLessThanOrEqual(100);
    const refused = await take(a, { maxWaitMs: 50 });
    expect(refused).toMatchObject({ go: false, reason: 'rate_limited', retryAfterMs: expect.any(Number) });
    expect(refused.go === false && refused.retryAfterMs).toBeGreaterThan(100);
    // Not booked: the next caller gets that same turn.
    expect(await waitOf(b)).toBeLessThanOrEqual(200);
  });

  it('without a rate, only the ban is checked', async () => {
    for (let i = 0; i < 20; i++) expect(await waitOf(a, { rate: undefined })).toBe(0);
  });
});

describe.each(shared)('the ban in %s, shared by two instances', (_, open) => {
  let a: Required<LimitBackend>;
  let b: Required<LimitBackend>;
  beforeEach(() => {
    a = open() as Required<LimitBackend>;
    b = open() as Required<LimitBackend>;
  });
  afterEach(async () => {
    await a.close();
    await b.close();
  });

  it('a ban stops every caller until it ends; then one probe, and the ban is over once it ends', async () => {
    await a.ban(1, W);
    const banned = await take(b);
    expect(banned).toMatchObject({ go: false, reason: 'banned' });
    expect(banned.go === false && banned.retryAfterMs).toBeGreaterThan(800);
    expect(banned.go === false && banned.retryAfterMs).toBeLessThanOrEqual(1000);
    await sleep(1_050);
    expect(await take(b, { token: 'probe-1' })).toEqual({ go: true, waitMs: 0, probe: true });
    expect(await take(a, { token: 'other' })).toEqual({
      go: false,
      reason: 'banned',
      retryAfterMs: 1_000,
    });
    // Only the probe's own end lifts the ban.
    await a.lift('other', W);
    expect((await take(a, { token: 'other' })).go).toBe(false);
    await b.lift('probe-1', W);
    expect(await take(b)).toEqual({ go: true, waitMs: 0 });
  });

  it('a ban while a probe is out starts afresh, and a shorter ban does not cut a longer one', async () => {
    await a.ban(1, W);
    await sleep(1_050);
    expect(await take(a, { token: 'probe' })).toMatchObject({ probe: true });
    await b.ban(5, W);
    await a.ban(1, W);
    const banned = await take(b);
    expect(banned.go === false && banned.retryAfterMs).toBeGreaterThan(4_000);
    await a.lift('probe', W);
    expect((await take(b)).go).toBe(false);
  });
});

describe('the limiter around attempts', () => {
  const code7 = (seconds: number) => ({
    ok: false as const,
    retry: 'later' as const,
    waitSeconds: seconds,
    failure: { reason: 'rate_limited', message: 'banned', code: 7 },
  });
  const delivered = { ok: true as const, response: {} };
  const refused = (x: Pass | Refusal) => ('failure' in x ? x : undefined);
  const passed = (x: Pass | Refusal): Pass => {
    if ('failure' in x) throw new Error(`refused: ${x.failure.message}`);
    return x;
  };

  it.each(shared)(
    'a code 7 stops this instance at once and every other through %s, with the seconds left',
    async (_, open) => {
      const here = new Limiter(open(), undefined);
      const there = new Limiter(open(), undefined);
      try {
        await here.leave(passed(await here.enter(Date.now() + 5_000)), code7(3), Date.now() + 5_000);
        for (const limiter of [here, there]) {
          expect(refused(await limiter.enter(Date.now() + 5_000))).toMatchObject({
            failure: { reason: 'banned' },
            retryAfterSeconds: 3,
          });
        }
      } finally {
        await here.backend.close();
        await there.backend.close();
      }
    },
  );

  it('a call woken a whole turn late books another turn instead of going with the next one', async () => {
    const rate = { perSecond: 20, burst: 1 };
    const limiter = new Limiter(new MemoryLimit(), rate);
    passed(await limiter.enter(Date.now() + 5_000));
    const second = limiter.enter(Date.now() + 5_000);
    await new Promise((resolve) => setImmediate(resolve));
    // A busy instance: its timer for the turn 50 ms on fires 150 ms on.
    const until = Date.now() + 150;
    while (Date.now() < until);
    passed(await second);
    // Its first turn went unused and it took a fresh one: the next turn is a whole interval away.
    const next = await limiter.backend.take({ rate, maxWaitMs: 0, token: 't' }, W);
    expect(next).toMatchObject({ go: false, reason: 'rate_limited' });
  });

  it.each(shared)(
    'after the ban in %s one probe goes alone, and its end lifts the ban for every instance',
    async (_, open) => {
      const here = new Limiter(open(), undefined);
      const there = new Limiter(open(), undefined);
      const deadline = () => Date.now() + 5_000;
      try {
        await here.backend.ban?.(1, W);
        await sleep(1_050);
        const probe = await here.enter(deadline());
        expect(probe).toMatchObject({ probe: expect.any(String) });
        expect(refused(await there.enter(deadline()))).toMatchObject({
          failure: { reason: 'banned' },
          retryAfterSeconds: 1,
        });
        await here.leave(passed(probe), delivered, deadline());
        expect(await there.enter(deadline())).toEqual({ probe: undefined });
      } finally {
        await here.backend.close();
        await there.backend.close();
      }
    },
  );
});

describe('the limiter when its store fails', () => {
  const isRefusal = (x: Pass | Refusal): x is Refusal => 'failure' in x;
  /** The error lines the limiter writes, kept off the test run's output. */
  const errorLines = () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    });
    return lines;
  };
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('sends nothing when Redis cannot be reached: transient, reason limit_unavailable', async () => {
    const lines = errorLines();
    await redis.stop();
    try {
      const limiter = new Limiter(redisLimit(), { perSecond: 10, burst: 1 });
      const entered = await limiter.enter(Date.now() + 5_000);
      expect(isRefusal(entered) && entered).toMatchObject({
        failure: { reason: 'limit_unavailable' },
        retryAfterSeconds: 5,
      });
      expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'error', msg: 'limit_store' });
      await limiter.backend.close();
    } finally {
      await redis.start();
    }
  });

  it('a slow Redis (through a delaying proxy) does not hold a call past its deadline', async () => {
    const lines = errorLines();
    const proxy = await startProxy({ port: redis.port });
    proxy.delay(3_000);
    const limiter = new Limiter(new RedisLimit(`redis://127.0.0.1:${proxy.port}`, app), undefined);
    try {
      const started = Date.now();
      const entered = await limiter.enter(started + 400);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(isRefusal(entered) && entered.failure.reason).toBe('limit_unavailable');
      expect(lines.join('')).toContain('Redis timed out');
    } finally {
      await limiter.backend.close();
      await proxy.close();
    }
  });

  it('sends nothing when DynamoDB cannot be reached, nor waits past the deadline when it is slow', async () => {
    const lines = errorLines();
    const proxy = await startProxy({ port: Number(new URL(dynamo.endpoint).port) });
    const limiter = new Limiter(dynamoLimit(`http://127.0.0.1:${proxy.port}`), { perSecond: 10, burst: 1 });
    try {
      await proxy.refuse();
      const refused = await limiter.enter(Date.now() + 5_000);
      expect(isRefusal(refused) && refused).toMatchObject({
        failure: { reason: 'limit_unavailable' },
        retryAfterSeconds: 5,
      });
      await proxy.accept();
      proxy.delay(3_000);
      const started = Date.now();
      const entered = await limiter.enter(started + 400);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(isRefusal(entered) && entered.failure.reason).toBe('limit_unavailable');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/"msg":"limit_store".*DynamoDB UpdateItem on table parkflow-idempotency failed/);
      expect(lines[1]).toMatch(/no answer within \d+ ms/);
    } finally {
      await limiter.backend.close();
      await proxy.close();
    }
  });

  it.each(shared)(
    'a turn beyond the deadline is refused at once as rate_limited, with the wait as Retry-After (%s)',
    async (_, open) => {
      const limiter = new Limiter(open(), { perSecond: 1, burst: 1 });
      try {
        expect(isRefusal(await limiter.enter(Date.now() + 5_000))).toBe(false);
        const started = Date.now();
        const entered = await limiter.enter(Date.now() + 600);
        expect(Date.now() - started).toBeLessThan(300);
        expect(isRefusal(entered) && entered).toMatchObject({
          failure: { reason: 'rate_limited' },
          retryAfterSeconds: 1,
        });
      } finally {
        await limiter.backend.close();
      }
    },
  );
});

describe('TOP_RATE_LIMIT and TOP_RATE_BURST', () => {
  const base = { TOP_APP_KEY: '12345678', TOP_APP_SECRET: 'secret' };

  it('are whole calls per second and a whole burst, one by default; unset, there is no rate', () => {
    expect(loadConfig(base).rateLimit).toBeUndefined();
    expect(loadConfig({ ...base, TOP_RATE_BURST: '5' }).rateLimit).toBeUndefined();
    expect(loadConfig({ ...base, TOP_RATE_LIMIT: '20' }).rateLimit).toEqual({ perSecond: 20, burst: 1 });
    expect(loadConfig({ ...base, TOP_RATE_LIMIT: '90', TOP_RATE_BURST: '10' }).rateLimit).toEqual({
      perSecond: 90,
      burst: 10,
    });
  });

  it('name what is wrong', () => {
    for (const bad of ['fast', '0', '2.5'])
      expect(() => loadConfig({ ...base, TOP_RATE_LIMIT: bad })).toThrow(
        /TOP_RATE_LIMIT must be a whole number from 1 to 100000/,
      );
    expect(() => loadConfig({ ...base, TOP_RATE_LIMIT: '5', TOP_RATE_BURST: '0' })).toThrow(
      /TOP_RATE_BURST must be a whole number from 1 to 10000/,
    );
  });
});
