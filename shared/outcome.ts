import type { InputIssue } from './schemas/issues.js';
import type { TopFailure } from './top/result.js';

/**
 * How one event ended: what delivery to TOP came to, not valid or not signed (nothing sent), or
 * (queue mode) handed to the function's own queue. A delivered outcome answered from the
 * idempotency store is marked `duplicate`: TOP was not called again.
 */
export type Outcome =
  | {
      kind: 'delivered';
      request_id?: string | undefined;
      response: Record<string, unknown>;
      attempts: number;
      duplicate?: true;
    }
  | { kind: 'rejected'; failure: TopFailure; attempts: number }
  | { kind: 'transient'; failure: TopFailure; attempts: number; retryAfterSeconds: number }
  | { kind: 'invalid'; message: string; issues: InputIssue[] }
  | { kind: 'unauthorized'; message: string }
  | { kind: 'conflict'; message: string; fields: string[] }
  | { kind: 'queued'; message_id: string };

/** The outcomes a call to TOP can come to. */
export type Sent = Extract<Outcome, { kind: 'delivered' | 'rejected' | 'transient' }>;

/**
 * One record's end, carried from the pipeline to its log line and to the trigger's answer. The
 * fields besides `outcome` are the log line's own, under the same names (log.ts).
 */
export interface RecordOutcome {
  outcome: Outcome;
  record_id: string;
  /** The sender's webhook message id, when given. */
  webhook_id: string | undefined;
  /** The event's idempotency key (a hash: no plate or order id in it). */
  idempotency_key: string | undefined;
  /** Already masked. */
  car_no: string | undefined;
  /** Already masked. */
  mobile: string | undefined;
  latency_ms: number;
  /** The time TOP took, retries included; absent when TOP was not called. */
  top_latency_ms: number | undefined;
  /** On a queue with a dead-letter destination: whether a permanent failure was put there. */
  dead_lettered: boolean | undefined;
}

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

/** Done with for good: the platform must not bring it back. */
export const settled = ({ outcome, dead_lettered }: RecordOutcome): boolean =>
  outcome.kind === 'delivered' || outcome.kind === 'queued' || dead_lettered === true;
