import type { AttributeValue, DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import {
  type Claim,
  type Completed,
  type IdempotencyStore,
  newToken,
  type StoredRecord,
  StoreError,
  storedRecordSchema,
} from './store.js';

type Sdk = typeof import('@aws-sdk/client-dynamodb');
type Item = Record<string, AttributeValue>;

/** A new connection that is not up by then counts as an unreachable store. */
const CONNECT_TIMEOUT_MS = 1_000;
/** The longest one call waits (its retry included); slower counts as an unreachable store. */
const CALL_TIMEOUT_MS = 2_000;

/**
 * With the table set, the SDK starts loading as the bundle does, while the platform is still
 * starting the instance, rather than on the first event (docs/decisions.md §12).
 */
const loading = process.env.IDEMPOTENCY_DYNAMODB_TABLE?.trim() ? import('@aws-sdk/client-dynamodb') : undefined;
loading?.catch(() => {});

/**
 * Items (docs/decisions.md §12): `pk` (the key), `status`, `token` (a claim's), `record` (a
 * delivery's JSON), `expires_ms` (when it stops counting, in ms) and `expiry` (the same in epoch
 * seconds: the table's TTL attribute). TTL deletes up to days late, so every condition and read
 * compares `expires_ms`.
 */
const CLAIMABLE = 'attribute_not_exists(pk) OR expires_ms < :now';

/**
 * The store on AWS without a VPC: a conditional PutItem claims a key for exactly one sender. The
 * SDK is the Lambda runtime's (not in the bundle), loaded when the first store opens; it finds the
 * region, credentials and endpoint (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL) where every AWS
 * SDK does.
 */
export class DynamoDbStore implements IdempotencyStore {
  readonly waitMs = CALL_TIMEOUT_MS;
  #table: string;
  #sdk: Promise<{ sdk: Sdk; client: DynamoDBClient }>;

  /** `clientConfig` is for tests that aim one store elsewhere than the environment says. */
  constructor(table: string, clientConfig: DynamoDBClientConfig = {}) {
    this.#table = table;
    this.#sdk = (loading ?? import('@aws-sdk/client-dynamodb')).then((sdk) => ({
      sdk,
      client: new sdk.DynamoDBClient({
        // One retry: a second failure within the invocation's time is an outage, not a blip.
        maxAttempts: 2,
        requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS },
        ...clientConfig,
      }),
    }));
    // Failing to load is reported by the call that needs the SDK.
    this.#sdk.catch(() => {});
  }

  /** One command, given up after `waitMs`; a failed condition comes back as `false`. */
  async #send<T>(
    action: string,
    waitMs: number,
    run: (sdk: Sdk, client: DynamoDBClient, options: { abortSignal: AbortSignal }) => Promise<T>,
  ): Promise<T | false> {
    try {
      const { sdk, client } = await this.#sdk;
      return await run(sdk, client, { abortSignal: AbortSignal.timeout(Math.max(waitMs, 1)) });
    } catch (err) {
      const e = err as Error;
      if (e.name === 'ConditionalCheckFailedException') return false;
      const why = e.name === 'TimeoutError' || e.name === 'AbortError' ? `no answer within ${waitMs} ms` : e.message;
      throw new StoreError(`DynamoDB ${action} on table ${this.#table} failed: ${e.name}: ${why}`);
    }
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
      const put = await this.#send('PutItem', until - Date.now(), (sdk, client, options) => {
        const command = new sdk.PutItemCommand({
          TableName: this.#table,
          Item: { pk: { S: key }, status: { S: 'in_progress' }, token: { S: token }, ...this.#expiry(ttlMs) },
          ConditionExpression: CLAIMABLE,
          ExpressionAttributeValues: { ':now': { N: String(Date.now()) } },
        });
        return client.send(command, options);
      });
      if (put) return { claimed: true, token };
      const got = await this.#send('GetItem', until - Date.now(), (sdk, client, options) => {
        const command = new sdk.GetItemCommand({
          TableName: this.#table,
          Key: { pk: { S: key } },
          ConsistentRead: true,
        });
        return client.send(command, options);
      });
      const record = got ? recordOf(got.Item) : undefined;
      if (record) return { claimed: false, record };
    }
    throw new StoreError('the idempotency record kept changing under the claim');
  }

  async complete(key: string, done: Completed, ttlMs: number, waitMs: number): Promise<void> {
    await this.#send('PutItem', waitMs, (sdk, client, options) => {
      const command = new sdk.PutItemCommand({
        TableName: this.#table,
        Item: {
          pk: { S: key },
          status: { S: 'complete' },
          record: { S: JSON.stringify(done) },
          ...this.#expiry(ttlMs),
        },
      });
      return client.send(command, options);
    });
  }

  async release(key: string, token: string, waitMs: number): Promise<void> {
    // A failed condition means the claim passed on (it expired): the key is no longer ours to free.
    await this.#send('DeleteItem', waitMs, (sdk, client, options) => {
      const command = new sdk.DeleteItemCommand({
        TableName: this.#table,
        Key: { pk: { S: key } },
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':token': { S: token } },
      });
      return client.send(command, options);
    });
  }

  async close(): Promise<void> {
    const opened = await this.#sdk.catch(() => undefined);
    opened?.client.destroy();
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
