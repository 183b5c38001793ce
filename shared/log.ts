import { addMetrics } from './metrics.js';
import type { RecordOutcome } from './outcome.js';
import type { Invocation } from './runtime/runtime.js';

/** Where records are processed, as their log lines say. */
export interface Where {
  function: string;
  trigger: string;
  invocation: Invocation;
}

/** Long enough for any real message id; an unsigned request's header is whatever its sender wrote. */
const MAX_WEBHOOK_ID = 128;

/**
 * One JSON line per event outcome, with TOP's evidence and the event's metrics; personal data
 * arrives here masked, and texts that could quote it arrive scrubbed.
 */
export function logOutcome(where: Where, r: RecordOutcome): void {
  const { outcome } = r;
  // Built field by field, not spread: this runs for every event, and V8 copies spreads slowly.
  const line: Record<string, unknown> = {
    level: outcome.kind === 'delivered' || outcome.kind === 'queued' ? 'info' : 'warn',
    msg: 'event',
    platform_request_id: where.invocation.requestId,
    function: where.function,
    trigger: where.trigger,
    record_id: r.record_id,
    idempotency_key: r.idempotency_key,
    webhook_id: r.webhook_id?.slice(0, MAX_WEBHOOK_ID),
    latency_ms: r.latency_ms,
    car_no: r.car_no,
    mobile: r.mobile,
    dead_lettered: r.dead_lettered,
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
  addMetrics(line, where.invocation.platform, r.top_latency_ms);
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
