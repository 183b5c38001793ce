import type { Outcome } from '../outcome.js';

/** One event carried by a trigger: its raw body and where it came from. */
export interface EventRecord {
  /** The platform's id for it: a request id, a message id. */
  id: string;
  body: string;
  headers: Record<string, string>;
}

/** A trigger's event opened up: the records it carries and how to answer the platform once they are done. */
export interface Envelope {
  trigger: string;
  records: EventRecord[];
  respond(outcomes: Outcome[]): unknown;
  /** How to answer when no record can be processed at all (the function is misconfigured). */
  fail(error: Error): unknown;
}
