// Row 6: three instances (arrive, each a process of its own) drain 2,000 queued events through the
// sandbox, which bans the app (code 7) past its per-app limit as TOP does; the instances share
// TOP_RATE_LIMIT through one redis-server, or one DynamoDB table (dynalite, in a process of its own).
import { sample } from '../dev/stack/samples.js';
import { startDynalite } from '../test/support/dynalite.js';
import { sqsEvent } from '../test/support/queue-events.js';
import { busiestSecond } from '../test/support/queue-setup.js';
import { startRedis } from '../test/support/redis.js';
import { HOST, runChild } from './child.js';
import { BASE, type Bench, instanceEnv, MARK } from './setup.js';

type Store = 'Redis' | 'DynamoDB';

export interface SharedRate {
  store: Store;
  instances: number;
  events: number;
  /** The sandbox's own limit: more calls in any one second and it bans the app. */
  gatewayLimit: number;
  /** Unset: each instance keeps only to TOP_CONCURRENCY (and stops during a ban). */
  rateLimit?: number | undefined;
  burst?: number | undefined;
  wallMs: number;
  /** Events delivered; without a rate the run stops after STOP_MS. */
  delivered: number;
  perSecond: number;
  /** Events a second against TOP_RATE_LIMIT (against the gateway's limit without one). */
  ofRate: number;
  busiestSecond: number;
  code7: number;
  /** Records the instances listed for the queue to bring back. */
  retried: number;
}

const INSTANCES = 3;
const EVENTS = 2_000;
const BATCH = 100;
// TOP's limit for the app; the instances keep a margin under it (README "Queues").
const GATEWAY_LIMIT = 100;
const RATE = 90;
const BURST = 1;
/** Without a rate, the drain would take minutes: it stops here. */
const STOP_MS = 30_000;

/** With the shared rate in each store, then without it, for comparison. */
export async function sharedRate(bench: Bench): Promise<SharedRate[]> {
  const rate = { perSecond: RATE, burst: BURST };
  return [
    await drain(bench, rate, 'Redis'),
    await drain(bench, rate, 'DynamoDB'),
    await drain(bench, undefined, 'Redis'),
  ];
}

/** The store's server and the instances' settings for it. */
async function openStore(store: Store) {
  if (store === 'Redis') {
    const redis = await startRedis();
    return { env: { IDEMPOTENCY_REDIS_URL: redis.url }, close: () => redis.close() };
  }
  const dynamo = await startDynalite(undefined, true);
  return { env: { ...dynamo.env, IDEMPOTENCY_DYNAMODB_TABLE: dynamo.table }, close: () => dynamo.close() };
}

async function drain(
  bench: Bench,
  rate: { perSecond: number; burst: number } | undefined,
  storeName: Store,
): Promise<SharedRate> {
  const store = await openStore(storeName);
  const { sandbox } = bench;
  try {
    sandbox.reset();
    sandbox.setLimit({ perSecond: GATEWAY_LIMIT, banSeconds: 5 });
    const [record] = (await sqsEvent([{ body: sample('arrive', { now: Number(MARK) }) }])).Records;
    const template = JSON.stringify({ ...record, messageId: `m-${MARK}` });
    const env = {
      ...instanceEnv(bench, 'parkflow'),
      ...store.env,
      ...(rate ? { TOP_RATE_LIMIT: String(rate.perSecond), TOP_RATE_BURST: String(rate.burst) } : {}),
    };
    const startAt = Date.now() + 2_000;
    const share = Math.ceil(EVENTS / INSTANCES);
    const runs = await Promise.all(
      Array.from({ length: INSTANCES }, (_, p) => {
        const first = p * share;
        const job = {
          mode: 'drain',
          bundle: bench.bundles.parkflow.arrive?.file,
          template,
          mark: MARK,
          base: BASE,
          first,
          count: Math.min(share, EVENTS - first),
          batchSize: BATCH,
          startAt,
          stopAt: startAt + STOP_MS,
          redeliveryMs: 1_000,
        };
        return runChild<{ endedAt: number; retried: number; left: number }>([HOST], env, {
          input: JSON.stringify(job),
        });
      }),
    );
    const wallMs = Math.max(...runs.map((r) => r.figures.endedAt)) - startAt;
    const delivered = EVENTS - runs.reduce((n, r) => n + r.figures.left, 0);
    const perSecond = (delivered / wallMs) * 1000;
    const result: SharedRate = {
      store: storeName,
      instances: INSTANCES,
      events: EVENTS,
      gatewayLimit: GATEWAY_LIMIT,
      rateLimit: rate?.perSecond,
      burst: rate?.burst,
      wallMs,
      delivered,
      perSecond,
      ofRate: perSecond / (rate?.perSecond ?? GATEWAY_LIMIT),
      busiestSecond: busiestSecond(sandbox.calls),
      code7: sandbox.limitState().refused,
      retried: runs.reduce((n, r) => n + r.figures.retried, 0),
    };
    const taken = sandbox.calls.length - result.code7;
    if (taken !== delivered) throw new Error(`the gateway took ${taken} calls for ${delivered} events delivered`);
    return result;
  } finally {
    sandbox.setLimit(undefined);
    sandbox.reset();
    await store.close();
  }
}
