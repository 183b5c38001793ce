import type { Invocation } from './invocation.js';
import { addMetrics } from './metrics.js';
import type { Outcome } from './outcome.js';

export interface OutcomeLog {
  function: string;
  trigger: string;
  invocation: Invocation;
  record_id: string;
  /** The event's idempotency key (a hash: no plate or order id in it). */
  idempotency_key?: string | undefined;
  /** The sender's webhook message id, when given. */
  webhook_id?: string | undefined;
  latency_ms: number;
  /** The time TOP took, retries included; absent when TOP was not called. */
  top_latency_ms?: number | undefined;
  /** Already masked. */
  car_no?: string | undefined;
  /** Already masked. */
  mobile?: string | undefined;
  /** On a queue: whether a permanent failure was put in the dead-letter destination. */
  dead_lettered?: boolean | undefined;
}

/** Long enough for any real message id; an unsigned request's header is whatever its sender wrote. */
const MAX_WEBHOOK_ID = 128;

/**
 * One JSON line per event outcome, with TOP's evidence and the event's metrics; personal data
 * arrives here masked, and texts that could quote it arrive scrubbed.
 */
export function logOutcome(entry: OutcomeLog, outcome: Outcome): void {
  // Built field by field, not spread: this runs for every event, and V8 copies spreads slowly.
  const line: Record<string, unknown> = {
    level: outcome.kind === 'delivered' || outcome.kind === 'queued' ? 'info' : 'warn',
    msg: 'event',
    platform_request_id: entry.invocation.requestId,
    function: entry.function,
    trigger: entry.trigger,
    record_id: entry.record_id,
    idempotency_key: entry.idempotency_key,
    webhook_id: entry.webhook_id?.slice(0, MAX_WEBHOOK_ID),
    latency_ms: entry.latency_ms,
    car_no: entry.car_no,
    mobile: entry.mobile,
    dead_lettered: entry.dead_lettered,
    outcome: outcome.kind,
  };
  if (outcome.kind === 'invalid') {
    line.issues = outcome.issues.map((i) => i.path || '(body)');
    line.error = outcome.message;
  } else if (outcome.kind === 'unauthorized') {
    line.error = outcome.message;
  } else if (outcome.kind === 'conflict') {
    line.reason = 'idempotency_conflict';
    line.fields = outcome.fields;
  } else if (outcome.kind === 'queued') {
    line.message_id = outcome.message_id;
  } else {
    line.attempts = outcome.attempts;
    if (outcome.kind === 'delivered') {
      line.request_id = outcome.request_id;
      if (outcome.duplicate) line.duplicate = true;
    } else {
      const { failure } = outcome;
      line.reason = failure.reason;
      line.code = failure.code;
      line.sub_code = failure.sub_code;
      line.request_id = failure.request_id;
      line.http_status = failure.status;
      line.error = failure.message;
    }
  }
  addMetrics(line, entry.invocation.platform, entry.top_latency_ms);
  emit(process.stdout, line);
}

/**
 * Straight to the stream, one write a line: the line stays pure JSON (Lambda's console puts a
 * prefix before it, and EMF must be the whole line), and it skips the console's formatting work.
 */
function emit(stream: NodeJS.WriteStream, line: Record<string, unknown>): void {
  stream.write(`${JSON.stringify(line)}\n`);
}

export function logError(msg: string, fields: Record<string, unknown>): void {
  emit(process.stderr, { level: 'error', msg, ...fields });
}

/** A setting that works but that an operator should know about. */
export function logWarning(msg: string, fields: Record<string, unknown>): void {
  emit(process.stderr, { level: 'warn', msg, ...fields });
}
