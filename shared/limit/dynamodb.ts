import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDbTable, Item } from '../idempotency/dynamodb.js';
import { type LimitBackend, nextTurn, type TakeRequest, type Turn } from './backend.js';

/** An ended ban's record waits this long for its probe, as in Redis; after that calls go freely. */
const STANDS_MS = 600_000;

const num = (v: AttributeValue | undefined) => Number(v?.N) || 0;
const banned = (retryAfterMs: number): Turn => ({ go: false, reason: 'banned', retryAfterMs });

/**
 * The app's rate and ban, shared by every instance through the idempotency table (docs/decisions.md
 * §12): one item, `pk` `parkflow:limit:<app key>`, holding `tat` (the rate's next turn, ms), `ban`
 * (when TOP's ban ends, ms), `probe` and `probe_until` (the probe after it), `expiry` (TTL, s).
 * DynamoDB has no clock to ask: times are the instances' own (NTP-synced on Lambda).
 */
export class DynamoDbLimit implements LimitBackend {
  #key: Item;
  /** The last `tat` seen: ahead of now, a turn is booked after it in one update, else from now. */
  #tat = 0;

  constructor(
    readonly table: DynamoDbTable,
    appKey: string,
  ) {
    this.#key = { pk: { S: `parkflow:limit:${appKey}` } };
  }

  /** One conditional UpdateItem on the item; `false` when the condition failed. */
  #update(set: string, condition: string, values: Record<string, number | string>, waitMs: number) {
    const entries = Object.entries(values).map(([k, v]) => [`:${k}`, typeof v === 'string' ? { S: v } : { N: `${v}` }]);
    const input = {
      Key: this.#key,
      UpdateExpression: set,
      ConditionExpression: condition,
      ReturnValues: 'UPDATED_NEW',
    };
    return this.table.send('UpdateItem', { ...input, ExpressionAttributeValues: Object.fromEntries(entries) }, waitMs);
  }

  /**
   * Books the turn with one atomic update where it can (no ban standing, and the rate's turn within
   * the longest wait, as its condition); reads the item only when that fails or without a rate.
   */
  async take({ rate, maxWaitMs, token }: TakeRequest, waitMs: number): Promise<Turn> {
    const until = Date.now() + waitMs;
    if (!rate) return (await this.#ban(token, maxWaitMs, until)) ?? { go: true, waitMs: 0 };
    const i = 1000 / rate.perSecond;
    let read = maxWaitMs < 0;
    let busy = this.#tat > Date.now();
    for (let tries = 0; tries < 4; tries++) {
      if (read) {
        const ban = await this.#ban(token, maxWaitMs, until);
        if (ban) return ban;
        const { waitMs } = nextTurn(this.#tat, Date.now(), rate);
        if (waitMs > maxWaitMs) return { go: false, reason: 'rate_limited', retryAfterMs: Math.ceil(waitMs) };
        busy = this.#tat > Date.now();
      }
      const now = Date.now();
      // A turn due by `now + tolerance` goes at once; one after `last` is too far.
      const tolerance = (rate.burst - 1) * i;
      const last = now + tolerance + maxWaitMs;
      // Busy: the turn after `tat`. Idle: the turn now.
      const [set, condition, values] = busy
        ? ['SET tat = tat + :i', 'tat > :now AND tat <= :last', { i, last }]
        : ['SET tat = :n', '(attribute_not_exists(tat) OR tat <= :now)', { n: now + i }];
      const booked = await this.#update(
        `${set}, expiry = :e`,
        `${condition} AND (attribute_not_exists(ban) OR ban < :stale)`,
        { ...values, now, e: Math.ceil((last + i) / 1000) + 1, stale: now - STANDS_MS },
        until - now,
      );
      if (booked) {
        this.#tat = num(booked.Attributes?.tat);
        // Counted from the answer: the wait for the store is part of the wait for the turn.
        return { go: true, waitMs: Math.ceil(Math.max(0, this.#tat - i - tolerance - Date.now())) };
      }
      // Idle failed: most likely another caller booked just before; the busy form goes next, unread.
      read = busy;
      busy = true;
    }
    throw new Error('the limit item kept changing');
  }

  /** Reads the item: a ban standing refuses, or makes this caller its probe; none, undefined. */
  async #ban(token: string, maxWaitMs: number, until: number): Promise<Turn | undefined> {
    const now = Date.now();
    const got = await this.table.send('GetItem', { Key: this.#key, ConsistentRead: true }, until - now);
    const item = got ? got.Item : undefined;
    const ban = num(item?.ban);
    this.#tat = num(item?.tat);
    if (ban < now - STANDS_MS) return undefined;
    if (ban > now) return banned(ban - now);
    // The ban has ended: one caller, the first to set itself as the probe, goes.
    const probe =
      num(item?.probe_until) < now &&
      (await this.#update(
        'SET probe = :t, probe_until = :p',
        'ban = :b AND (attribute_not_exists(probe) OR probe_until < :now)',
        { t: token, p: now + maxWaitMs + 200, b: ban, now },
        until - Date.now(),
      ));
    return probe ? { go: true, waitMs: 0, probe: true } : banned(1000);
  }

  /** A later end already recorded stands; the probe starts afresh. */
  async ban(seconds: number, waitMs: number): Promise<void> {
    const b = Date.now() + seconds * 1000;
    const e = Math.ceil((b + STANDS_MS) / 1000);
    await this.#update(
      'SET ban = :b, expiry = :e REMOVE probe, probe_until',
      'attribute_not_exists(ban) OR ban < :b',
      { b, e },
      waitMs,
    );
  }

  /** Only the probe's own end lifts the ban. */
  async lift(token: string, waitMs: number): Promise<void> {
    await this.#update('REMOVE ban, probe, probe_until', 'probe = :t', { t: token }, waitMs);
  }

  close(): Promise<void> {
    return this.table.close();
  }
}
