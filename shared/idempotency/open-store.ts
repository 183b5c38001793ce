import type { Config } from '../config.js';
import { DynamoDbStore } from './dynamodb-store.js';
import { RedisStore } from './redis-store.js';
import { type IdempotencyStore, MemoryStore } from './store.js';

/**
 * Shared by every instance: a DynamoDB table (IDEMPOTENCY_DYNAMODB_TABLE, AWS) or Redis
 * (IDEMPOTENCY_REDIS_URL); otherwise this instance's memory.
 */
export function openStore(config: Pick<Config, 'idempotencyRedisUrl' | 'idempotencyDynamodbTable'>): IdempotencyStore {
  if (config.idempotencyDynamodbTable) return new DynamoDbStore(config.idempotencyDynamodbTable);
  return config.idempotencyRedisUrl ? new RedisStore(config.idempotencyRedisUrl) : new MemoryStore();
}
