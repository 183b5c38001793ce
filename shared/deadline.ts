/** Without a platform deadline (local runs), an event gets this long. */
const DEFAULT_BUDGET_MS = 30_000;
/** Time kept back to write the answer and logs before the platform's own timeout. */
const MAX_RESERVE_MS = 1_000;

interface AwsContext {
  getRemainingTimeInMillis(): number;
}
interface FcContext {
  function: { timeout: number };
}

/**
 * When delivery must be over, as epoch ms: AWS says how much time remains; FC gives the function's
 * timeout in seconds, counted from the invocation's start, which is now.
 */
export function deadlineOf(context: unknown, now: number = Date.now()): number {
  const c = context as Partial<AwsContext & FcContext> | undefined;
  let budget = DEFAULT_BUDGET_MS;
  if (typeof c?.getRemainingTimeInMillis === 'function') budget = c.getRemainingTimeInMillis();
  else if (typeof c?.function?.timeout === 'number') budget = c.function.timeout * 1000;
  return now + budget - Math.min(MAX_RESERVE_MS, budget / 10);
}
