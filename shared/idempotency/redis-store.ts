import * as z from 'zod/mini';
import { RespClient } from './resp.js';
import { type Claim, type Completed, type IdempotencyStore, newToken, storedRecordSchema } from './store.js';

/** Deletes the key only if it still holds this caller's in-progress record (its claim may have expired and passed on). */
const RELEASE_IF_OURS = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/** Fast enough for a store on the same network; slow answers count as an unreachable store. */
const COMMAND_TIMEOUT_MS = 1_000;

/** Shared by every instance of the function: SET NX claims a key for exactly one sender. */
export class RedisStore implements IdempotencyStore {
  #client: RespClient;

  constructor(url: string, timeoutMs = COMMAND_TIMEOUT_MS) {
    this.#client = new RespClient(url, timeoutMs);
  }

  // Each command waits at most the client's own timeout, however long the invocation has left.
  async claim(key: string, ttlMs: number, _waitMs?: number): Promise<Claim> {
    const token = newToken();
    const value = JSON.stringify({ status: 'in_progress', token });
    // A record that expires between SET NX and GET leaves nothing to read: claim again, once.
    for (let tries = 0; tries < 2; tries++) {
      const set = await this.#client.command('SET', key, value, 'NX', 'PX', String(Math.ceil(ttlMs)));
      if (set === 'OK') return { claimed: true, token };
      const existing = await this.#client.command('GET', key);
      if (typeof existing === 'string') {
        return { claimed: false, record: z.parse(storedRecordSchema(), JSON.parse(existing)) };
      }
    }
    throw new Error('the idempotency record kept changing under the claim');
  }

  async complete(key: string, done: Completed, ttlMs: number, _waitMs?: number): Promise<void> {
    const value = JSON.stringify({ status: 'complete', ...done });
    await this.#client.command('SET', key, value, 'PX', String(Math.ceil(ttlMs)));
  }

  async release(key: string, token: string, _waitMs?: number): Promise<void> {
    const value = JSON.stringify({ status: 'in_progress', token });
    await this.#client.command('EVAL', RELEASE_IF_OURS, '1', key, value);
  }

  async close(): Promise<void> {
    this.#client.close();
  }
}
