import { enqueueSqs, sqsDeadLetters } from './aws.js';
import { DEFAULT_BUDGET_MS, deadlineAfter, type Runtime } from './runtime.js';

/** A run outside both clouds (a direct call, a script): AWS's queues when configured, and a fixed budget. */
export function localRuntime(context: unknown, now: number): Runtime {
  const requestId = (context as { requestId?: unknown } | null | undefined)?.requestId;
  return {
    platform: 'local',
    requestId: typeof requestId === 'string' ? requestId : undefined,
    deadline: deadlineAfter(DEFAULT_BUDGET_MS, now),
    enqueue: enqueueSqs,
    deadLetters: sqsDeadLetters,
  };
}
