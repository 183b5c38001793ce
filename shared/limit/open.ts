import type { Config } from '../config.js';
import { DynamoDbStore } from '../idempotency/dynamodb-store.js';
import type { IdempotencyStore } from '../idempotency/store.js';
import { DynamoDbLimit } from './dynamodb.js';
import { Limiter } from './limiter.js';
import { MemoryLimit } from './memory.js';
import { RedisLimit } from './redis.js';

/**
 * In the store the deployment uses, shared by every instance: Redis, or the DynamoDB store's table
 * (through its client); otherwise this instance's memory.
 */
export function openLimiter(
  config: Pick<Config, 'idempotencyRedisUrl' | 'appKey' | 'rateLimit'>,
  store: IdempotencyStore,
): Limiter {
  const backend = config.idempotencyRedisUrl
    ? new RedisLimit(config.idempotencyRedisUrl, config.appKey)
    : store instanceof DynamoDbStore
      ? new DynamoDbLimit(store.table, config.appKey)
      : new MemoryLimit();
  return new Limiter(backend, config.rateLimit);
}
