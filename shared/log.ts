import type { Outcome } from './outcome.js';

export interface OutcomeLog {
  function: string;
  trigger: string;
  record_id: string;
  latency_ms: number;
  /** Already masked. */
  car_no?: string | undefined;
  /** On a queue: whether a permanent failure was put in the dead-letter destination. */
  dead_lettered?: boolean | undefined;
}

/** One JSON line per event outcome, with TOP's evidence; personal data arrives here masked. */
export function logOutcome(entry: OutcomeLog, outcome: Outcome): void {
  const line: Record<string, unknown> = {
    level: outcome.kind === 'delivered' || outcome.kind === 'queued' ? 'info' : 'warn',
    msg: 'event',
    ...entry,
    outcome: outcome.kind,
  };
  if (outcome.kind === 'invalid') {
    line.issues = outcome.issues.map((i) => i.path || '(body)');
    line.error = outcome.message;
  } else if (outcome.kind === 'queued') {
    line.message_id = outcome.message_id;
  } else {
    line.attempts = outcome.attempts;
    if (outcome.kind === 'delivered') {
      line.request_id = outcome.request_id;
      if (outcome.duplicate) line.duplicate = true;
    } else {
      const { reason, code, sub_code, request_id, status } = outcome.failure;
      Object.assign(line, { reason, code, sub_code, request_id, http_status: status, error: outcome.failure.message });
    }
  }
  console.log(JSON.stringify(line));
}

export function logError(msg: string, fields: Record<string, unknown>): void {
  console.error(JSON.stringify({ level: 'error', msg, ...fields }));
}
