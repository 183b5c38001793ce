import type { FcContext } from '../runtime/fc.js';

/**
 * Invokes an FC 2.0 function asynchronously with @alicloud/fc2, which FC's Node runtimes ship (kept out
 * of the bundle, loaded on first use): FC stores the event, answers 202, and runs the function on
 * it with its own retries and onFailure destination. It waits `waitMs` at most.
 */
export async function invokeAsync(
  target: FcContext & { service: string; qualifier: string | undefined },
  event: string,
  waitMs: number,
  endpoint?: string,
): Promise<string> {
  const until = Date.now() + waitMs;
  const { default: FC } = await import('@alicloud/fc2');
  // Loading fc2 is part of the wait; and fc2 reads a timeout of 0 as none.
  const timeout = until - Date.now();
  if (!(timeout > 0)) throw new Error('no time was left to queue the event');
  const client = new FC(target.accountId, {
    accessKeyID: target.credentials.accessKeyId,
    accessKeySecret: target.credentials.accessKeySecret,
    securityToken: target.credentials.securityToken,
    region: target.region,
    secure: true,
    internal: true,
    timeout,
    ...(endpoint ? { endpoint } : {}),
  });
  const answer = await client.invokeFunction(
    target.service,
    target.function.name,
    event,
    { 'x-fc-invocation-type': 'Async' },
    target.qualifier,
  );
  return answer.headers['x-fc-request-id'] ?? '';
}
