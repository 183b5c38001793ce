import { createServer } from 'node:net';
import { PRODUCTION_GATEWAY } from '../../shared/config.js';
import { SANDBOX_APP_KEY, SANDBOX_APP_SECRET, type Sandbox, startSandbox } from '../sandbox/index.js';
import { startConsole } from './console-server.js';
import { EventFeed, functionLine } from './feed.js';
import { startOffline } from './offline.js';

export interface StackOptions {
  /** The functions' port; 0 (the default) picks a free one, as for the others. */
  port?: number;
  consolePort?: number;
  sandboxPort?: number;
  /** serverless-offline's Lambda invoke API, which `npm run send -- --queue` posts queue batches to. */
  lambdaPort?: number;
  /** Where TOP settings come from: your own keys if TOP_APP_KEY is set, else the built-in sandbox. */
  env?: NodeJS.ProcessEnv;
  /** Every line serverless-offline and the functions print. */
  onOutput?(line: string): void;
}

export interface Stack {
  /** The functions: POST {functionsUrl}/arrive, /leave, /pay, /payinfo-sync */
  functionsUrl: string;
  consoleUrl: string;
  /** serverless-offline's Lambda invoke API: POST {lambdaUrl}/2015-03-31/functions/<name>/invocations */
  lambdaUrl: string;
  sandbox: Sandbox;
  /** The gateway the functions call: the sandbox's, or TOP_GATEWAY_URL with your own keys. */
  gatewayUrl: string;
  appKey: string;
  /** Your own keys (from the environment or .env) rather than the sandbox's test app. */
  ownKeys: boolean;
  close(): Promise<void>;
}

/** The functions' environment: the sandbox's test app by default; your own app when both keys are set. */
function topSettings(env: NodeJS.ProcessEnv, sandbox: Sandbox): { env: NodeJS.ProcessEnv; ownKeys: boolean } {
  const { TOP_APP_KEY: key, TOP_APP_SECRET: secret } = env;
  if (!key && !secret) {
    const app = { TOP_APP_KEY: SANDBOX_APP_KEY, TOP_APP_SECRET: SANDBOX_APP_SECRET, TOP_GATEWAY_URL: sandbox.url };
    return { env: { ...env, ...app }, ownKeys: false };
  }
  if (!key || !secret) {
    throw new Error(
      `${key ? 'TOP_APP_SECRET' : 'TOP_APP_KEY'} is not set: set both for your own app, or neither for the sandbox`,
    );
  }
  return { env: { ...env, TOP_GATEWAY_URL: env.TOP_GATEWAY_URL || PRODUCTION_GATEWAY }, ownKeys: true };
}

/** serverless-offline needs a port number up front. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The sandbox, the console, then the four functions pointed at TOP (the sandbox unless you have keys). */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const env = options.env ?? process.env;
  const sandbox = await startSandbox({ port: options.sandboxPort ?? 0 });
  const closing: (() => Promise<void>)[] = [() => sandbox.close()];
  const close = async () => {
    for (const stop of closing.toReversed()) await stop();
  };
  try {
    const top = topSettings(env, sandbox);
    const feed = new EventFeed();
    sandbox.onCall((call) => feed.addCall(call));
    const port = options.port || (await freePort());
    const consoleServer = await startConsole({
      port: options.consolePort ?? 0,
      feed,
      sandboxOrigin: sandbox.origin,
      functionsOrigin: `http://127.0.0.1:${port}`,
    });
    closing.push(() => consoleServer.close());
    const lambdaPort = options.lambdaPort || (await freePort());
    const offline = await startOffline({
      port,
      lambdaPort,
      env: top.env,
      onLine: (line) => {
        const event = functionLine(line);
        if (event) feed.addLine(event);
        options.onOutput?.(line);
      },
    });
    closing.push(() => offline.stop());
    return {
      functionsUrl: offline.url,
      consoleUrl: consoleServer.url,
      lambdaUrl: `http://127.0.0.1:${lambdaPort}`,
      sandbox,
      gatewayUrl: top.env.TOP_GATEWAY_URL ?? PRODUCTION_GATEWAY,
      appKey: top.env.TOP_APP_KEY ?? '',
      ownKeys: top.ownKeys,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
