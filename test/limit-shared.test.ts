// Three function instances, each a process of its own with the real bundle, share one store (a real
// redis-server, or DynamoDB through dynalite) and the app's call limit toward the sandbox gateway.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../dev/sandbox/index.js';
import { type Dynalite, startDynalite } from './support/dynalite.js';
import { apigwHttp } from './support/events.js';
import { runInstance } from './support/instances.js';
import { sqsEvent, validEvent } from './support/queue-events.js';
import { accepted, acceptedPerPlate, busiestSecond, plateOf, queueEnv } from './support/queue-setup.js';
import { redisAndSandbox } from './support/redis.js';

const INSTANCES = 3;
const RATE = 20;
const plate = (n: number) => validEvent('arrive', n).car_no as string;

const { redis, sandbox: current } = redisAndSandbox();
let sandbox: Sandbox;
/** A fresh table for each test, served by a process of its own, as the gateway's timings are taken in this one. */
let dynamo: Dynalite;
beforeEach(async () => {
  sandbox = current();
  dynamo = await startDynalite(undefined, true);
});
afterEach(() => dynamo.close());

/**
 * Each store's settings; the time its invocations get beyond Redis's (a DynamoDB call may take 2 s,
 * not 1 s, and a record starts only with two of them left); and the calls a second may see beyond
 * the rate and burst. Redis books a turn on its own clock when it runs the script; DynamoDB has no
 * clock, so a turn is booked for when the instance asked, and when every instance's first calls
 * ask at once, the table's answers to the first burst come back a turn or two late (README "Queues";
 * seen here: up to two calls over rate and burst in the busiest second).
 */
const stores: [string, () => Record<string, string>, number, number][] = [
  ['Redis', () => ({ IDEMPOTENCY_REDIS_URL: redis().url }), 0, 0],
  ['DynamoDB', () => ({ ...dynamo.env, IDEMPOTENCY_DYNAMODB_TABLE: dynamo.table }), 2_000, 2],
];

describe.each(stores)('three instances sharing one %s', (_, store, extraMs, lateCalls) => {
  const env = (rate: number, burst: number) =>
    queueEnv(sandbox, { ...store(), TOP_RATE_LIMIT: String(rate), TOP_RATE_BURST: String(burst) });

  it('send hundreds of queued events at once within one rate; each ends delivered or transient, none lost', async () => {
    const BURST = 5;
    const PER_INSTANCE = 100;
    const events = await Promise.all(
      Array.from({ length: INSTANCES }, (_, p) =>
        sqsEvent(
          Array.from({ length: PER_INSTANCE }, (_, i) => {
            const n = p * PER_INSTANCE + i;
            return { body: validEvent('arrive', n), messageId: `m-${n}` };
          }),
        ),
      ),
    );
    // Warm instances, with a connection for each call of a burst: a cold one's first calls wait on
    // loading the HTTP client and connecting, and reach the gateway later than their turn, together
    // with the next ones.
    const WARMUP = 5;
    // Time to spare: a loaded machine may take a second or more to load an SDK and connect.
    const WARMUP_MS = 10_000;
    const warmups = await Promise.all(
      Array.from({ length: INSTANCES }, (_, p) =>
        sqsEvent(Array.from({ length: WARMUP }, (_, i) => ({ body: validEvent('arrive', 10_000 + p * WARMUP + i) }))),
      ),
    );
    const startAt = Date.now() + 3_000;
    const runs = await Promise.all(
      events.map((event, p) =>
        runInstance<{ batchItemFailures: { itemIdentifier: string }[] }>(
          'arrive',
          { mode: 'batch', event, remainingMs: 4_000 + extraMs, warmup: warmups[p], warmupMs: WARMUP_MS, startAt },
          env(RATE, BURST),
        ),
      ),
    );

    const total = INSTANCES * PER_INSTANCE;
    const calls = sandbox.calls.filter((c) => c.receivedAt >= startAt);
    expect(sandbox.calls.length - calls.length).toBe(INSTANCES * WARMUP);
    const retried = new Set(runs.flatMap((r) => r.result.batchItemFailures.map((f) => f.itemIdentifier)));
    const delivered = Array.from({ length: total }, (_, n) => n).filter((n) => !retried.has(`m-${n}`));
    // Every event is accounted for: delivered exactly once, or listed for the queue to bring back.
    expect(delivered.length + retried.size).toBe(total);
    expect(calls.map(plateOf).sort()).toEqual(delivered.map(plate).sort());
    expect([...acceptedPerPlate(sandbox).values()].every((count) => count === 1)).toBe(true);
    expect(calls.every((c) => c.status === 200 && c.fault === undefined)).toBe(true);
    // The rate was used, not just kept: about RATE a second over the invocation's 3.6 s.
    expect(delivered.length).toBeGreaterThan(40);
    expect(retried.size).toBeGreaterThan(100);
    expect(busiestSecond(sandbox.calls)).toBeLessThanOrEqual(RATE + BURST + lateCalls);

    const lines = runs.flatMap((r) => r.lines.slice(WARMUP));
    expect(lines).toHaveLength(total);
    const reasons = new Set(lines.filter((l) => l.outcome === 'transient').map((l) => l.reason));
    // Refused by the rate, or (near the end) not started for want of time: never sent, never half-sent.
    expect(reasons.has('rate_limited')).toBe(true);
    expect([...reasons].every((r) => r === 'rate_limited' || r === 'deadline')).toBe(true);
    expect(lines.filter((l) => l.outcome === 'transient').every((l) => l.attempts === 0)).toBe(true);
  }, 30_000);

  it('after one code 7 with a 5 s ban, no instance calls TOP until the ban ends, then one probe goes alone', async () => {
    const BAN_SECONDS = 5;
    // Once the instances are warm, TOP bans the app; the probe after the ban is answered slowly, so
    // that another call going before its answer would show.
    const WARM_CALLS = 10;
    const off = sandbox.onCall(() => {
      if (sandbox.calls.length < WARM_CALLS) return;
      off();
      sandbox.addFault({ kind: 'ban', seconds: BAN_SECONDS, count: 1 });
      sandbox.addFault({ kind: 'slow', delayMs: 300, count: 1 });
    });
    const PER_INSTANCE = 30;
    const untilMs = Date.now() + 11_000;
    const runs = await Promise.all(
      Array.from({ length: INSTANCES }, (_, p) =>
        runInstance<{
          finals: { status: number; code?: string }[];
          refusals: { code: string; retryAfter: number; at: number }[];
        }>(
          'arrive',
          {
            mode: 'http',
            events: Array.from({ length: PER_INSTANCE }, (_, i) =>
              apigwHttp(validEvent('arrive', p * PER_INSTANCE + i)),
            ),
            workers: 4,
            untilMs,
            pauseMs: 200,
            remainingMs: 3_000 + extraMs,
          },
          env(10, 1),
        ),
      ),
    );

    const calls = [...sandbox.calls].sort((a, b) => a.receivedAt - b.receivedAt);
    expect(calls.filter((c) => c.fault === 'ban')).toHaveLength(1);
    const at = calls.findIndex((c) => c.fault === 'ban');
    expect(at).toBe(WARM_CALLS);
    const [banned, probe, after] = calls.slice(at);
    expect(banned?.fault).toBe('ban');
    expect(probe?.fault).toBe('slow');
    if (!banned || !probe || !after) throw new Error(`only ${calls.length} calls`);
    expect(probe.receivedAt - banned.receivedAt).toBeGreaterThanOrEqual(BAN_SECONDS * 1000);
    expect(after.receivedAt).toBeGreaterThanOrEqual(probe.receivedAt + probe.durationMs);

    // Every event ends delivered (sent once) or transient; none is lost.
    const finals = runs.flatMap((r, p) => r.result.finals.map((f, i) => ({ ...f, n: p * PER_INSTANCE + i })));
    expect(finals).toHaveLength(INSTANCES * PER_INSTANCE);
    expect(finals.every((f) => f.status === 200 || f.status === 503)).toBe(true);
    const delivered = finals.filter((f) => f.status === 200).map((f) => plate(f.n));
    expect(
      accepted(sandbox)
        .map((c) => plateOf(c))
        .sort(),
    ).toEqual(delivered.sort());
    expect([...acceptedPerPlate(sandbox).values()].every((count) => count === 1)).toBe(true);

    // Meanwhile the senders were told why, and how long the ban had left.
    const refusals = runs.flatMap((r) => r.result.refusals);
    // Never in_progress: an event held back freed its idempotency claim, and its retry was sent.
    expect(refusals.every((r) => r.code === 'banned' || r.code === 'rate_limited')).toBe(true);
    const banEnd = banned.receivedAt + BAN_SECONDS * 1000;
    // After the code 7 itself (answered rate_limited, with TOP's own wait) was answered.
    const during = refusals.filter((r) => r.at > banned.receivedAt + 100 && r.at < banEnd - 1000);
    expect(during.length).toBeGreaterThan(10);
    for (const r of during) {
      expect(r.code).toBe('banned');
      const left = (banEnd - r.at) / 1000;
      expect(r.retryAfter).toBeGreaterThanOrEqual(Math.floor(left));
      expect(r.retryAfter).toBeLessThanOrEqual(Math.ceil(left) + 1);
    }
    expect(runs.flatMap((r) => r.lines).some((l) => l.reason === 'banned')).toBe(true);
  }, 30_000);
});
