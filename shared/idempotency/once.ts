import type { Budget } from '../budget.js';
import { logError } from '../log.js';
import { conflict, type Outcome, type Sent, transient } from '../outcome.js';
import { differingFields, type RequestPrint } from './request-print.js';
import type { IdempotencyStore } from './store.js';

/** How long a sender waits before trying a copy that is being sent right now. */
const IN_PROGRESS_RETRY_SECONDS = 5;
/** A claim outlives the invocation's deadline by this much, then frees itself if the instance died mid-send. */
const CLAIM_MARGIN_MS = 5_000;
/** The wait granted to remembering a send that ended at the deadline: the reserve kept before the platform's timeout. */
const LATE_WRITE_MS = 200;

export interface OnceOptions {
  store: IdempotencyStore;
  key: string;
  /** The invocation's time: bounds each store call, and the claim's life. */
  budget: Budget;
  ttlSeconds: number;
  /** The request this copy would send, to tell it from what was delivered under the key. */
  request: RequestPrint;
}

/**
 * Sends an event unless a copy was delivered (answered from the store, or refused as a conflict
 * when its request differs) or is being sent (a transient "in progress"). Only a delivery is remembered: a refused or failed send frees the key,
 * so a retry or a replay can try again. A store that cannot be reached means nothing is sent: an
 * event sent blind could reach TOP twice, while a transient failure is only retried.
 */
export async function once(options: OnceOptions, send: () => Promise<Sent>): Promise<Outcome> {
  const { store, key, budget, ttlSeconds, request } = options;
  let claim: Awaited<ReturnType<IdempotencyStore['claim']>>;
  try {
    claim = await store.claim(key, budget.left() + CLAIM_MARGIN_MS, budget.wait(store.waitMs));
  } catch (err) {
    logError('idempotency_store', { action: 'claim', error: (err as Error).message });
    return transient(
      {
        reason: 'idempotency_unavailable',
        message: 'The idempotency store could not be reached; the event was not sent, so that it is never sent twice.',
      },
      IN_PROGRESS_RETRY_SECONDS,
    );
  }
  if (!claim.claimed) {
    const { record } = claim;
    if (record.status === 'complete') {
      // A record kept before prints were stored has none: it is taken as a true copy.
      if (record.request && record.request.hash !== request.hash)
        return conflict(differingFields(record.request, request));
      return { ...record.outcome, duplicate: true };
    }
    return transient(
      { reason: 'in_progress', message: 'A copy of this event is being sent right now; try again shortly.' },
      IN_PROGRESS_RETRY_SECONDS,
    );
  }
  const outcome = await send();
  try {
    // Past the deadline, a last short wait: the send is over, and remembering it saves a resend.
    const waitMs = Math.max(budget.wait(store.waitMs), LATE_WRITE_MS);
    if (outcome.kind === 'delivered') await store.complete(key, { outcome, request }, ttlSeconds * 1000, waitMs);
    else await store.release(key, claim.token, waitMs);
  } catch (err) {
    // The send happened either way; a delivery not remembered stays claimed until the claim expires.
    logError('idempotency_store', {
      action: outcome.kind === 'delivered' ? 'complete' : 'release',
      error: (err as Error).message,
    });
  }
  return outcome;
}
