// Contender (a)'s transport: the first one anyone would write, on undici's whole index and its
// request() API. Same interface and behaviour as shared/top/transport.ts.
import { Pool } from 'undici';
import type { GatewayReply, Target, TransportTimeouts } from '../shared/top/transport.js';

const pools = new Map<string, Pool>();

/** undici is loaded with the module: nothing to load ahead. */
export const prepareTransport = (): void => {};

export async function closePools(): Promise<void> {
  await Promise.all([...pools.values()].map((p) => p.close()));
  pools.clear();
}

export async function postForm(target: Target, body: string, timeouts: TransportTimeouts): Promise<GatewayReply> {
  let pool = pools.get(target.origin);
  if (!pool) {
    pool = new Pool(target.origin, {
      connections: 64,
      connect: { timeout: timeouts.connectMs },
      keepAliveTimeout: 4_000,
    });
    pools.set(target.origin, pool);
  }
  const res = await pool.request({
    path: target.path,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
    body,
    headersTimeout: timeouts.responseMs,
    bodyTimeout: timeouts.responseMs,
  });
  return { status: res.statusCode, body: await res.body.text() };
}
