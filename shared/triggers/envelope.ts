import type { Outcome, RecordOutcome } from '../outcome.js';

/** One event carried by a trigger: its raw body and where it came from. */
export interface EventRecord {
  /** The platform's id for it: a request id, a message id. */
  id: string;
  body: string;
  headers: Record<string, string>;
  /** A FIFO message group: its records are sent in order, and none after one that failed. */
  group?: string | undefined;
  /** HTTP: the body's bytes as received, which the webhook signature covers. */
  raw?: Buffer | undefined;
  /** Set when the record ends before its body is read: not signed, not UTF-8, not base64. */
  refused?: Outcome | undefined;
}

/** A trigger's event opened up: the records it carries and how to answer the platform once they are done. */
export interface Envelope {
  trigger: string;
  /** `http` answers the sender; `queue` acknowledges or fails messages, and dead-letters permanent failures. */
  kind: 'http' | 'queue';
  records: EventRecord[];
  respond(results: RecordOutcome[]): unknown;
  /** How to answer when no record can be processed at all (the function is misconfigured). */
  fail(error: Error): unknown;
}
