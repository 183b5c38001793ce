import type { Config } from '../config.js';
import { Limiter } from './limiter.js';
import { MemoryLimit } from './memory.js';
import { RedisLimit } from './redis.js';

/** In the store the deployment uses: Redis, shared by every instance; otherwise this instance's memory. */
export function openLimiter(config: Pick<Config, 'idempotencyRedisUrl' | 'appKey' | 'rateLimit'>): Limiter {
  const backend = config.idempotencyRedisUrl
    ? new RedisLimit(config.idempotencyRedisUrl, config.appKey)
    : new MemoryLimit();
  return new Limiter(backend, config.rateLimit);
}
