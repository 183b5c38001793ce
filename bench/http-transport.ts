// The node:http contender of the cold-instance row: the same interface as shared/top/transport.ts on
// node's own keep-alive agent, whose parser is built into node, so nothing is compiled at run time.
// It is the floor for what loading and first using an HTTP client can cost.
import { Agent, request } from 'node:http';
import type { GatewayReply, Target, TransportTimeouts } from '../shared/top/transport.js';

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** node:http is loaded with the module: nothing to load ahead. */
export const prepareTransport = (): void => {};

export async function closePools(): Promise<void> {
  agent.destroy();
}

export function postForm(target: Target, body: string, timeouts: TransportTimeouts): Promise<GatewayReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(target.path, target.origin),
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
        timeout: timeouts.responseMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeouts.responseMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
