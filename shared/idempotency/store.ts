import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { lazy } from '../lazy.js';

/**
 * What the store holds for a key, as Powertools' idempotency does: a send under way, or its result
 * (a delivery, with enough to answer a copy with the original result, and the print of the request
 * that was sent, to tell a true copy from a conflicting one). Read back from Redis and DynamoDB.
 */
export const storedRecordSchema = lazy(() =>
  z.discriminatedUnion('status', [
    z.object({ status: z.literal('in_progress'), token: z.string() }),
    z.object({
      status: z.literal('complete'),
      outcome: z.object({
        kind: z.literal('delivered'),
        request_id: z.optional(z.string()),
        response: z.record(z.string(), z.unknown()),
        attempts: z.number(),
      }),
      request: z.optional(z.object({ hash: z.string(), fields: z.record(z.string(), z.string()) })),
    }),
  ]),
);
export type StoredRecord = z.output<ReturnType<typeof storedRecordSchema>>;
export type Completed = Omit<Extract<StoredRecord, { status: 'complete' }>, 'status'>;
export type Delivered = Completed['outcome'];

/** Either this caller may send (and holds the token that proves it), or someone else has or is. */
export type Claim = { claimed: true; token: string } | { claimed: false; record: StoredRecord };

/**
 * Each call waits at most `waitMs` (the caller's bound: the store's own `waitMs` cut to the time the
 * invocation has left) and fails with a StoreError that says why.
 */
export interface IdempotencyStore {
  /** The longest one call waits on a slow store; 0 for a store that never waits. */
  readonly waitMs: number;
  /** Atomically marks the key in progress for `ttlMs` unless it holds anything unexpired. */
  claim(key: string, ttlMs: number, waitMs: number): Promise<Claim>;
  /** Remembers a delivery, and the request sent, for `ttlMs`. */
  complete(key: string, done: Completed, ttlMs: number, waitMs: number): Promise<void>;
  /** Frees a claim that did not end in a delivery, if it is still this caller's. */
  release(key: string, token: string, waitMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The store could not be reached or did not answer in time. The message is the reason, for the
 * operator's log line ("Redis refused the password", "Redis timed out"); it never holds a secret.
 */
export class StoreError extends Error {
  override name = 'StoreError';
}

export const newToken = (): string => randomUUID();

/** Bounds an instance's memory: a record is a few hundred bytes. */
const MAX_ENTRIES = 10_000;

/**
 * The default store: per instance, so it catches copies that reach the same instance (a webhook
 * retry, a redelivery to a warm function) and no others. Redis or DynamoDB share one across instances.
 */
export class MemoryStore implements IdempotencyStore {
  readonly waitMs = 0;
  #entries = new Map<string, { record: StoredRecord; expiresAt: number }>();

  constructor(readonly maxEntries: number = MAX_ENTRIES) {}

  #live(key: string): StoredRecord | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > Date.now()) return entry.record;
    this.#entries.delete(key);
    return undefined;
  }

  #put(key: string, record: StoredRecord, ttlMs: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.maxEntries) {
      // Map keeps insertion order: the first keys are the oldest writes. A tenth go at once, since
      // every walk from the start passes the slots freed before it until the Map compacts itself.
      let evict = Math.ceil(this.maxEntries / 10);
      for (const oldest of this.#entries.keys()) {
        this.#entries.delete(oldest);
        if (--evict === 0) break;
      }
    }
    this.#entries.set(key, { record, expiresAt: Date.now() + ttlMs });
  }

  // Memory answers at once: there is nothing to wait for.
  async claim(key: string, ttlMs: number, _waitMs?: number): Promise<Claim> {
    const existing = this.#live(key);
    if (existing) return { claimed: false, record: existing };
    const token = newToken();
    this.#put(key, { status: 'in_progress', token }, ttlMs);
    return { claimed: true, token };
  }

  async complete(key: string, done: Completed, ttlMs: number, _waitMs?: number): Promise<void> {
    // Field by field, not spread: this runs for every delivered event.
    this.#put(key, { status: 'complete', outcome: done.outcome, request: done.request }, ttlMs);
  }

  async release(key: string, token: string, _waitMs?: number): Promise<void> {
    const existing = this.#live(key);
    if (existing?.status === 'in_progress' && existing.token === token) this.#entries.delete(key);
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }
}
