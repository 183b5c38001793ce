// `npm run bench:state [-- --quick]`: what the shared idempotency stores and the TOP secret read cost.
// Cold: a fresh node loads the arrive bundle and answers its first event against the sandbox, with
// each store (memory, Redis, DynamoDB on dynalite), the DynamoDB SDK and the secret loaded as the
// bundle loads or on the first event, and the event coming at once or a while after the load. Warm: one store call as a warm instance makes it, and the require of each SDK
// client the Lambda runtime ships. All servers are local: the figures are parkflow's own cost, not
// a network's.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SANDBOX_APP_KEY, SANDBOX_APP_SECRET, startSandbox } from '../dev/sandbox/index.js';
import { DynamoDbStore } from '../shared/idempotency/dynamodb-store.js';
import { RedisStore } from '../shared/idempotency/redis-store.js';
import { type IdempotencyStore, MemoryStore } from '../shared/idempotency/store.js';
import { startSecretsManager } from '../test/support/cloud-stand-ins.js';
import { AWS_TEST_SETTINGS, startDynalite } from '../test/support/dynalite.js';
import { startRedis } from '../test/support/redis.js';
import { runChild } from './child.js';
import { BASE, httpTemplate, MARK } from './setup.js';
import { median, percentile } from './stats.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 5 : 15;
const CALLS = quick ? 100 : 500;
const PROBE = join(import.meta.dirname, 'state-probe.cjs');
const BUNDLE = join(import.meta.dirname, '..', 'dist', 'arrive', 'index.js');
const require = createRequire(import.meta.url);

// This process's DynamoDB store signs its calls as a function's would.
Object.assign(process.env, AWS_TEST_SETTINGS);
const [sandbox, redis, dynamo, sm] = await Promise.all([
  startSandbox(),
  startRedis(),
  startDynalite(),
  startSecretsManager(),
]);
sm.secrets.set('parkflow/top', JSON.stringify({ app_secret: SANDBOX_APP_SECRET }));
const base = {
  TOP_APP_KEY: SANDBOX_APP_KEY,
  TOP_GATEWAY_URL: sandbox.url,
  TOP_SIGN_METHOD: 'md5',
  ...AWS_TEST_SETTINGS,
};
const LATER_BOTH = 'IDEMPOTENCY_DYNAMODB_TABLE,TOP_SECRET_ID';
const withSecret = {
  TOP_SECRET_ID: 'parkflow/top',
  AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.origin,
  ...dynamo.env,
};

const memory = { ...base, TOP_APP_SECRET: SANDBOX_APP_SECRET };
const table = { ...base, ...dynamo.env, TOP_APP_SECRET: SANDBOX_APP_SECRET, IDEMPOTENCY_DYNAMODB_TABLE: dynamo.table };
const awsDefault = { ...base, ...withSecret, IDEMPOTENCY_DYNAMODB_TABLE: dynamo.table };
/** An instance the platform started ahead of its first event (the event comes this long after load). */
const ahead = { BENCH_IDLE_MS: '300' };
const cases: [string, Record<string, string>][] = [
  ['memory store, TOP_APP_SECRET', memory],
  ['Redis store', { ...memory, IDEMPOTENCY_REDIS_URL: redis.url }],
  ['DynamoDB store, SDK loaded on the first event', { ...table, BENCH_LATER: 'IDEMPOTENCY_DYNAMODB_TABLE' }],
  ['DynamoDB store, SDK loaded as the bundle loads', table],
  ['secret read on the first event', { ...base, ...withSecret, BENCH_LATER: 'TOP_SECRET_ID' }],
  ['secret read as the bundle loads', { ...base, ...withSecret }],
  ['AWS default (DynamoDB + secret), on the first event', { ...awsDefault, BENCH_LATER: LATER_BOTH }],
  ['AWS default (DynamoDB + secret), as the bundle loads', awsDefault],
  ['started ahead: memory store', { ...memory, ...ahead }],
  ['started ahead: AWS default, on the first event', { ...awsDefault, ...ahead, BENCH_LATER: LATER_BOTH }],
  ['started ahead: AWS default, as the bundle loads', { ...awsDefault, ...ahead }],
];

interface Figures {
  requireMs: number;
  firstEventMs: number;
  status: number;
}
const fmt = (ms: number) => ms.toFixed(1).padStart(7);
let n = 0;
try {
  console.log(`Cold start of arrive, median of ${ROUNDS} fresh node processes (ms):`);
  console.log(`${'case'.padEnd(54)} ${'load'.padStart(7)} ${'event'.padStart(7)} ${'total'.padStart(7)}`);
  const cold = new Map<string, Figures[]>();
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved, so drift on a shared machine hits every case alike.
    for (const [name, env] of cases) {
      const event = httpTemplate('arrive').replaceAll(MARK, String(BASE + ++n * 1000));
      const run = await runChild<Figures>([PROBE, BUNDLE, event], env);
      if (run.figures.status !== 200) throw new Error(`${name}: the first event got ${run.figures.status}`);
      cold.set(name, [...(cold.get(name) ?? []), run.figures]);
    }
  }
  for (const [name] of cases) {
    const runs = cold.get(name) ?? [];
    const load = median(runs.map((r) => r.requireMs));
    const event = median(runs.map((r) => r.firstEventMs));
    const total = median(runs.map((r) => r.requireMs + r.firstEventMs));
    console.log(`${name.padEnd(54)} ${fmt(load)} ${fmt(event)} ${fmt(total)}`);
  }

  console.log(`\nrequire of an SDK client the Lambda runtime ships, median of ${ROUNDS} fresh processes (ms):`);
  for (const sdk of ['@aws-sdk/client-dynamodb', '@aws-sdk/client-secrets-manager']) {
    const file = require.resolve(sdk);
    const runs = [];
    for (let round = 0; round < ROUNDS; round++) runs.push((await runChild<Figures>([PROBE, file], {})).figures);
    console.log(`${sdk.padEnd(54)} ${fmt(median(runs.map((r) => r.requireMs)))}`);
  }

  console.log(
    `\nWarm store calls, ${CALLS} keys each: claim + complete (a delivered event), claim (a duplicate) (ms):`,
  );
  console.log(`${'store'.padEnd(54)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'dup p50'.padStart(7)}`);
  const stores: [string, IdempotencyStore][] = [
    ['memory', new MemoryStore()],
    ['Redis (redis-server, loopback)', new RedisStore(redis.url)],
    ['DynamoDB (dynalite, loopback, in this process)', new DynamoDbStore(dynamo.table, { endpoint: dynamo.endpoint })],
  ];
  for (const [name, store] of stores) {
    const delivered: number[] = [];
    const duplicate: number[] = [];
    const outcome = { kind: 'delivered' as const, response: {}, attempts: 1 };
    const request = { hash: 'h', fields: { car_no: 'f' } };
    await store.claim('warm-up', 60_000, 2_000);
    for (let i = 0; i < CALLS; i++) {
      const key = `bench-${Date.now()}-${i}`;
      let t = performance.now();
      await store.claim(key, 60_000, 2_000);
      await store.complete(key, { outcome, request }, 60_000, 2_000);
      delivered.push(performance.now() - t);
      t = performance.now();
      await store.claim(key, 60_000, 2_000);
      duplicate.push(performance.now() - t);
    }
    console.log(
      `${name.padEnd(54)} ${fmt(median(delivered))} ${fmt(percentile(delivered, 95))} ${fmt(median(duplicate))}`,
    );
    await store.close();
  }
} finally {
  await Promise.all([sandbox.close(), redis.close(), dynamo.close(), sm.close()]);
}
