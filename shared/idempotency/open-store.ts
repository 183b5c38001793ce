import type { Config } from '../config.js';
import { RedisStore } from './redis-store.js';
import { type IdempotencyStore, MemoryStore } from './store.js';

/** Redis when IDEMPOTENCY_REDIS_URL is set, shared by every instance; otherwise this instance's memory. */
export function openStore(config: Pick<Config, 'idempotencyRedisUrl'>): IdempotencyStore {
  return config.idempotencyRedisUrl ? new RedisStore(config.idempotencyRedisUrl) : new MemoryStore();
}
