import type { FcCredentials } from '../runtime/fc.js';
import { acs3Headers } from './acs3.js';

/** What an async invocation of a function by itself needs of FC 3.0's context (docs/platforms.md §4). */
export interface Fc3Target {
  accountId: string;
  region: string;
  credentials: FcCredentials;
  functionName: string;
  qualifier?: string | undefined;
}

/**
 * InvokeFunction of the 2023-03-30 API with `x-fc-invocation-type: Async` (docs/platforms.md §8):
 * FC stores the event, answers 202, and runs the function on it with its own retries and onFailure
 * destination. Signed here (ACS3-HMAC-SHA256) rather than with Alibaba's SDK, which would weigh
 * more than the whole bundle (docs/decisions.md §13). Resolves with FC's request id; rejects on any
 * other answer, or once `waitMs` have passed.
 */
export async function invokeFc3Async(target: Fc3Target, event: string, waitMs: number, endpoint?: string) {
  const origin = endpoint ?? `https://${target.accountId}.${target.region}-internal.fc.aliyuncs.com`;
  const url = new URL(`/2023-03-30/functions/${encodeURIComponent(target.functionName)}/invocations`, origin);
  if (target.qualifier) url.searchParams.set('qualifier', target.qualifier);
  const body = Buffer.from(event);
  const headers = acs3Headers(
    {
      method: 'POST',
      url,
      action: 'InvokeFunction',
      version: '2023-03-30',
      body,
      headers: { 'content-type': 'application/octet-stream', 'x-fc-invocation-type': 'Async' },
    },
    target.credentials,
  );
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(waitMs) });
  const text = await response.text();
  if (response.status !== 202)
    throw new Error(`FC InvokeFunction answered HTTP ${response.status}: ${text.slice(0, 200)}`);
  return response.headers.get('x-fc-request-id') ?? '';
}
