import type { InputIssue } from './schemas/issues.js';
import type { DeliveryResult, TopFailure } from './top/result.js';

/**
 * How one event ended: not valid or not signed (nothing sent), what delivery to TOP came to, or (queue mode)
 * handed to the function's own queue. A delivered outcome answered from the idempotency store is
 * marked `duplicate`: TOP was not called again.
 */
export type Outcome =
  | (DeliveryResult & { duplicate?: true })
  | { kind: 'invalid'; message: string; issues: InputIssue[] }
  | { kind: 'unauthorized'; message: string }
  | { kind: 'conflict'; message: string; fields: string[] }
  | { kind: 'queued'; message_id: string };

export const invalid = (message: string, issues: InputIssue[] = []): Outcome => ({ kind: 'invalid', message, issues });

/** The webhook signature is missing or wrong: nothing of the body was read. */
export const unauthorized = (message: string): Outcome => ({ kind: 'unauthorized', message });

/**
 * A copy of a delivered event under the same key but with other values: it is not sent, and not
 * answered as a duplicate either. Only field names are given, never values.
 */
export const conflict = (fields: string[]): Outcome => ({
  kind: 'conflict',
  message: `A copy of this event was delivered before with other values in: ${fields.join(', ')}. It was not sent again, and TOP keeps the values first delivered. If the new values are a correction, report them as a new event; if not, have the sender resend copies unchanged.`,
  fields,
});

/** A fault that may pass: the platform should bring the event back later. */
export const transient = (failure: TopFailure, retryAfterSeconds: number): Outcome => ({
  kind: 'transient',
  failure,
  attempts: 0,
  retryAfterSeconds,
});

/** Sending it again as it is can never succeed. */
export const isPermanent = (outcome: Outcome): boolean =>
  outcome.kind === 'invalid' || outcome.kind === 'rejected' || outcome.kind === 'conflict';

/** One record's end: its outcome, and whether a permanent failure is now in the dead-letter destination. */
export interface RecordResult {
  outcome: Outcome;
  deadLettered: boolean;
}

/** Done with for good: the platform must not bring it back. */
export const settled = ({ outcome, deadLettered }: RecordResult): boolean =>
  outcome.kind === 'delivered' || outcome.kind === 'queued' || deadLettered;
