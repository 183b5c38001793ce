// Loads a built bundle the way a FaaS runtime does: require dist/<name>/index.js, call exports.handler.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fc2Response } from './events.js';

const require = createRequire(import.meta.url);
export const DIST = join(import.meta.dirname, '..', '..', 'dist');

export type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/**
 * A fresh instance of a function (a cold start): settings are read from `env` on its first event,
 * and its connection pool is its own.
 */
export function coldStart(name: string, env: Record<string, string | undefined>): Handler {
  const file = join(DIST, name, 'index.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build`);
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  delete require.cache[require.resolve(file)];
  return (require(file) as { handler: Handler }).handler;
}

export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Invokes a handler with an HTTP event and reads its JSON answer. */
export async function invokeHttp(handler: Handler, event: unknown, context: unknown) {
  const result = (await handler(event, context)) as HttpResult;
  return { ...result, json: JSON.parse(result.body) as Record<string, any> };
}

/**
 * Invokes a handler as FC 2.0 invokes a function behind an HTTP trigger, `handler(request,
 * response, context)`, and reads the answer it sent through `response`.
 */
export async function invokeFc2Http(handler: Handler, request: unknown, context: unknown) {
  const response = fc2Response();
  const returned = (handler as (req: unknown, res: unknown, ctx: unknown) => Promise<unknown>)(
    request,
    response,
    context,
  );
  const body = await response.sent;
  await returned;
  return {
    statusCode: response.statusCode,
    headers: response.headers,
    body,
    sends: response.sends,
    json: JSON.parse(body) as Record<string, any>,
  };
}
