import * as z from 'zod/mini';
import { type Reply, RespClient } from './resp.js';
import {
  type Claim,
  type Completed,
  type IdempotencyStore,
  newToken,
  StoreError,
  storedRecordSchema,
} from './store.js';

/** Deletes the key only if it still holds this caller's in-progress record (its claim may have expired and passed on). */
const RELEASE_IF_OURS = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/** Fast enough for a store on the same network; slower answers count as an unreachable store. */
const COMMAND_TIMEOUT_MS = 1_000;

/** What a GET found under the key, as the store's schema reads it. */
function storedRecord(text: string) {
  try {
    return z.parse(storedRecordSchema(), JSON.parse(text));
  } catch {
    throw new StoreError('Redis holds a record under the key that parkflow did not write');
  }
}

/** Shared by every instance of the function: SET NX claims a key for exactly one sender. */
export class RedisStore implements IdempotencyStore {
  readonly waitMs: number;
  #client: RespClient;

  constructor(url: string, waitMs = COMMAND_TIMEOUT_MS) {
    this.#client = new RespClient(url);
    this.waitMs = waitMs;
  }

  /** One command, waiting until `until` (epoch ms) at most; a fault becomes a StoreError with its reason. */
  async #command(args: string[], until: number): Promise<Reply> {
    try {
      return await this.#client.command(args, until - Date.now());
    } catch (err) {
      throw new StoreError((err as Error).message);
    }
  }

  async claim(key: string, ttlMs: number, waitMs: number): Promise<Claim> {
    const until = Date.now() + waitMs;
    const token = newToken();
    const value = JSON.stringify({ status: 'in_progress', token });
    // A record that expires between SET NX and GET leaves nothing to read: claim again, once.
    for (let tries = 0; tries < 2; tries++) {
      const set = await this.#command(['SET', key, value, 'NX', 'PX', String(Math.ceil(ttlMs))], until);
      if (set === 'OK') return { claimed: true, token };
      const existing = await this.#command(['GET', key], until);
      if (typeof existing === 'string') return { claimed: false, record: storedRecord(existing) };
    }
    throw new StoreError('the idempotency record kept changing under the claim');
  }

  async complete(key: string, done: Completed, ttlMs: number, waitMs: number): Promise<void> {
    const value = JSON.stringify({ status: 'complete', ...done });
    await this.#command(['SET', key, value, 'PX', String(Math.ceil(ttlMs))], Date.now() + waitMs);
  }

  async release(key: string, token: string, waitMs: number): Promise<void> {
    const value = JSON.stringify({ status: 'in_progress', token });
    await this.#command(['EVAL', RELEASE_IF_OURS, '1', key, value], Date.now() + waitMs);
  }

  async close(): Promise<void> {
    this.#client.close();
  }
}
