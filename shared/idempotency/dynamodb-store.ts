import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { DynamoDbTable, type Item } from './dynamodb.js';
import {
  type Claim,
  type Completed,
  type IdempotencyStore,
  newToken,
  type StoredRecord,
  StoreError,
  storedRecordSchema,
} from './store.js';

/** The longest one call waits (its retry included); slower counts as an unreachable store. */
const CALL_TIMEOUT_MS = 2_000;

/**
 * Items (docs/decisions.md §12): `pk` (the key), `status`, `token` (a claim's), `record` (a
 * delivery's JSON), `expires_ms` (when it stops counting, in ms) and `expiry` (the same in epoch
 * seconds: the table's TTL attribute). TTL deletes up to days late, so every condition and read
 * compares `expires_ms`.
 */
const CLAIMABLE = 'attribute_not_exists(pk) OR expires_ms < :now';

/**
 * The store on AWS without a VPC: a conditional PutItem claims a key for exactly one sender.
 */
export class DynamoDbStore implements IdempotencyStore {
  readonly waitMs = CALL_TIMEOUT_MS;
  readonly table: DynamoDbTable;

  /** `clientConfig` is for tests that aim one store elsewhere than the environment says. */
  constructor(table: string, clientConfig: DynamoDBClientConfig = {}) {
    this.table = new DynamoDbTable(table, clientConfig);
  }

  #expiry(ttlMs: number): Item {
    const ms = Date.now() + Math.ceil(ttlMs);
    return { expires_ms: { N: String(ms) }, expiry: { N: String(Math.ceil(ms / 1000)) } };
  }

  async claim(key: string, ttlMs: number, waitMs: number): Promise<Claim> {
    const until = Date.now() + waitMs;
    const token = newToken();
    // A record that expires between the put and the read leaves nothing to read: claim again, once.
    for (let tries = 0; tries < 2; tries++) {
      const put = await this.table.send(
        'PutItem',
        {
          Item: { pk: { S: key }, status: { S: 'in_progress' }, token: { S: token }, ...this.#expiry(ttlMs) },
          ConditionExpression: CLAIMABLE,
          ExpressionAttributeValues: { ':now': { N: String(Date.now()) } },
        },
        until - Date.now(),
      );
      if (put) return { claimed: true, token };
      const got = await this.table.send(
        'GetItem',
        { Key: { pk: { S: key } }, ConsistentRead: true },
        until - Date.now(),
      );
      const record = got ? recordOf(got.Item) : undefined;
      if (record) return { claimed: false, record };
    }
    throw new StoreError('the idempotency record kept changing under the claim');
  }

  async complete(key: string, done: Completed, ttlMs: number, waitMs: number): Promise<void> {
    const record = { S: JSON.stringify(done) };
    const item = { pk: { S: key }, status: { S: 'complete' }, record, ...this.#expiry(ttlMs) };
    await this.table.send('PutItem', { Item: item }, waitMs);
  }

  async release(key: string, token: string, waitMs: number): Promise<void> {
    // A failed condition means the claim passed on (it expired): the key is no longer ours to free.
    await this.table.send(
      'DeleteItem',
      {
        Key: { pk: { S: key } },
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':token': { S: token } },
      },
      waitMs,
    );
  }

  close(): Promise<void> {
    return this.table.close();
  }
}

/** The record an item holds, unless there is none or it has expired (TTL deletes late). */
function recordOf(item: Item | undefined): StoredRecord | undefined {
  if (!item || Number(item.expires_ms?.N) <= Date.now()) return undefined;
  const status = item.status?.S;
  try {
    const value =
      status === 'complete'
        ? { status, ...(JSON.parse(item.record?.S ?? '{}') as object) }
        : { status, token: item.token?.S };
    return z.parse(storedRecordSchema(), value);
  } catch {
    // As Redis's store does: the operator learns what is wrong, and no parse message quotes the item.
    throw new StoreError('DynamoDB holds a record under the key that parkflow did not write');
  }
}
