// A DynamoDB-compatible server (dynalite, in memory) on a free loopback port, with the idempotency table made.
import type { AddressInfo, Server } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

export interface Dynalite {
  endpoint: string;
  table: string;
  /** What the SDK needs to reach it: region, dummy credentials and the SDK's own endpoint variable. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The SDK's settings for a local server: it signs requests, so it needs credentials, though nothing checks them. */
export const AWS_TEST_SETTINGS = {
  // Node 20 here, as on FC; Lambda runs 22, so the SDK's notice about Node 20 has nothing to say.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_REGION: 'ap-southeast-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

export async function startDynalite(table = 'parkflow-idempotency'): Promise<Dynalite> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: AWS_TEST_SETTINGS.AWS_REGION,
    credentials: { accessKeyId: AWS_TEST_SETTINGS.AWS_ACCESS_KEY_ID, secretAccessKey: 'x' },
  });
  // The table serverless.yml makes: string key `pk`, billed per request.
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  client.destroy();
  return {
    endpoint,
    table,
    env: { ...AWS_TEST_SETTINGS, AWS_ENDPOINT_URL_DYNAMODB: endpoint },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
