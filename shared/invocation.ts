/** Which cloud runs an invocation, told by its context (the shape each runtime hands over, docs/platforms.md §1, §4). */
export type Platform = 'aws' | 'fc' | 'local';

export interface Invocation {
  platform: Platform;
  /** The platform's id for the invocation (Lambda: awsRequestId; FC: requestId), to find it in the platform's logs. */
  requestId?: string | undefined;
}

export function invocationOf(context: unknown): Invocation {
  const c = context as { awsRequestId?: unknown; requestId?: unknown; function?: unknown } | null | undefined;
  if (typeof c?.awsRequestId === 'string') return { platform: 'aws', requestId: c.awsRequestId };
  const requestId = typeof c?.requestId === 'string' ? c.requestId : undefined;
  return { platform: typeof c?.function === 'object' && c.function !== null ? 'fc' : 'local', requestId };
}
