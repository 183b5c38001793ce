import type { AttributeValue, DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { StoreError } from './store.js';

type Sdk = typeof import('@aws-sdk/client-dynamodb');
export type Item = Record<string, AttributeValue>;

/** A new connection that is not up by then counts as an unreachable store. */
const CONNECT_TIMEOUT_MS = 1_000;

let loading: Promise<Sdk> | undefined;

/**
 * The SDK, loaded once per instance: as the bundle loads when the table is set (prepareInstance,
 * docs/decisions.md §12), else when the first table opens. A failure is reported by the call that
 * needs the SDK.
 */
export function loadDynamoDb(): Promise<Sdk> {
  if (!loading) {
    loading = import('@aws-sdk/client-dynamodb');
    loading.catch(() => {});
  }
  return loading;
}

/**
 * One DynamoDB table, as the idempotency store and the call limit use it. The SDK is the Lambda
 * runtime's (not in the bundle), loaded when the first table opens; it finds the region,
 * credentials and endpoint (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL) where every AWS SDK does.
 */
export class DynamoDbTable {
  #sdk: Promise<{ sdk: Sdk; client: DynamoDBClient }>;

  /** `clientConfig` is for tests that aim one table elsewhere than the environment says. */
  constructor(
    readonly name: string,
    clientConfig: DynamoDBClientConfig = {},
  ) {
    this.#sdk = loadDynamoDb().then((sdk) => ({
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

  /** One item command on the table, given up after `waitMs`; a failed condition comes back as `false`. */
  async send(
    action: 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem',
    input: object,
    waitMs: number,
  ): Promise<{ Item?: Item; Attributes?: Item } | false> {
    try {
      const { sdk, client } = await this.#sdk;
      const Command = sdk[`${action}Command`] as new (input: object) => Parameters<DynamoDBClient['send']>[0];
      const command = new Command({ TableName: this.name, ...input });
      return (await client.send(command, { abortSignal: AbortSignal.timeout(Math.max(waitMs, 1)) })) as {
        Item?: Item;
        Attributes?: Item;
      };
    } catch (err) {
      const e = err as Error;
      if (e.name === 'ConditionalCheckFailedException') return false;
      const why = e.name === 'TimeoutError' || e.name === 'AbortError' ? `no answer within ${waitMs} ms` : e.message;
      throw new StoreError(`DynamoDB ${action} on table ${this.name} failed: ${e.name}: ${why}`);
    }
  }

  async close(): Promise<void> {
    const opened = await this.#sdk.catch(() => undefined);
    opened?.client.destroy();
  }
}
