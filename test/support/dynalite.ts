// A DynamoDB-compatible server (dynalite, in memory) on a free loopback port, with the idempotency table made.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
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

const OPTIONS = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };

/** In this process, or (`ownProcess`) in one of its own, so that its work does not delay this one's timers and servers. */
async function listen(ownProcess: boolean): Promise<{ port: number; close(): Promise<void> }> {
  if (ownProcess) {
    const script = `require('dynalite')(${JSON.stringify(OPTIONS)}).listen(0, '127.0.0.1', function () { console.log(this.address().port) })`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const closed = once(child, 'exit');
    return {
      port: Number(String(line).trim()),
      close: async () => {
        child.kill();
        await closed;
      },
    };
  }
  const server: Server = dynalite(OPTIONS);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

export async function startDynalite(table = 'parkflow-idempotency', ownProcess = false): Promise<Dynalite> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const server = await listen(ownProcess);
  const endpoint = `http://127.0.0.1:${server.port}`;
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
    close: () => server.close(),
  };
}
