import type { Config } from '../config.js';
import { DynamoDbStore } from './dynamodb-store.js';
import { RedisStore } from './redis-store.js';
import { type IdempotencyStore, MemoryStore } from './store.js';

/**
 * Shared by every instance: Redis (IDEMPOTENCY_REDIS_URL) or a DynamoDB table
 * (IDEMPOTENCY_DYNAMODB_TABLE, AWS); otherwise this instance's memory. Redis comes first, as a URL
 * given at deploy replaces the table serverless.yml always names.
 */
export function openStore(config: Pick<Config, 'idempotencyRedisUrl' | 'idempotencyDynamodbTable'>): IdempotencyStore {
  if (config.idempotencyRedisUrl) return new RedisStore(config.idempotencyRedisUrl);
  return config.idempotencyDynamodbTable ? new DynamoDbStore(config.idempotencyDynamodbTable) : new MemoryStore();
}
