// The deployed Lambda's timeout at full scale: a 500-record SQS batch with Redis 3 s late and 25 s left.
// Its own file, so that it runs beside the other test files rather than after them.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type Sandbox, startSandbox } from '../dev/sandbox/index.js';
import { coldStart } from './support/bundles.js';
import { noteTime, printTimes, reserveOf, sqsBatch } from './support/fault-run.js';
import { captureLogs } from './support/output.js';
import { type FaultProxy, startProxy } from './support/proxy.js';
import { queueEnv } from './support/queue-setup.js';
import { type RedisServer, startRedis } from './support/redis.js';

let redis: RedisServer;
let sandbox: Sandbox;
let proxy: FaultProxy;
beforeAll(async () => {
  [redis, sandbox] = await Promise.all([startRedis(), startSandbox()]);
  proxy = await startProxy({ port: redis.port });
});
afterAll(async () => {
  printTimes();
  await proxy.close();
  await Promise.all([redis.close(), sandbox.close()]);
});

it('500 records, Redis 3 s late, 25 s left: answered within 25 s less the reserve, nothing sent', {
  timeout: 40_000,
}, async () => {
  const logs = captureLogs();
  proxy.delay(3_000);
  const handler = coldStart('arrive', queueEnv(sandbox, { IDEMPOTENCY_REDIS_URL: `redis://127.0.0.1:${proxy.port}` }));
  const run = await sqsBatch(
    handler,
    Array.from({ length: 500 }, (_, i) => i),
    25_000,
  );
  vi.restoreAllMocks();
  noteTime('SQS 500 records, Redis 3 s late, 25 s left', run, 25_000);
  // Every wait ends by the deadline less the reserve; building the answer takes milliseconds of it.
  expect(run.elapsedMs).toBeLessThan(25_000 - reserveOf(25_000) / 2);
  expect(run.failed).toHaveLength(500);
  expect(sandbox.calls).toHaveLength(0);
  const reasons = new Set(logs.lines('stdout').map((l) => l.reason));
  expect(reasons).toEqual(new Set(['idempotency_unavailable', 'deadline']));
});
