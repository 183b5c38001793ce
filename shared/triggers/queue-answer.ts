import { type RecordOutcome, settled } from '../outcome.js';
import type { Envelope, EventRecord } from './envelope.js';

/** Thrown to fail an invocation on purpose, so the platform retries it or moves it to its dead-letter queue. */
export class RecordsNotDoneError extends Error {
  override name = 'RecordsNotDoneError';
}

/** Counts for the invocation's answer and log. */
function tally(results: RecordOutcome[]) {
  const count = (test: (r: RecordOutcome) => boolean) => results.filter(test).length;
  return {
    records: results.length,
    delivered: count((r) => r.outcome.kind === 'delivered'),
    duplicates: count((r) => r.outcome.kind === 'delivered' && r.outcome.duplicate === true),
    dead_lettered: count((r) => r.dead_lettered === true),
    not_done: count((r) => !settled(r)),
  };
}

const rethrow = (error: Error): never => {
  throw error;
};

/**
 * FC's queue triggers and async invocations retry a whole invocation, never part of it: it succeeds
 * only when every record is settled; otherwise it throws, FC brings every record back, and the ones
 * already delivered are then answered from the idempotency store instead of being sent again.
 */
export function wholeInvocation(trigger: string, records: EventRecord[]): Envelope {
  return {
    trigger,
    kind: 'queue',
    records,
    respond(results) {
      const counts = tally(results);
      if (counts.not_done === 0) return { ok: true, ...counts };
      throw new RecordsNotDoneError(
        `${counts.not_done} of ${counts.records} records are not done (see the event log lines); failing the invocation so that ${trigger} retries it.`,
      );
    },
    fail: rethrow,
  };
}

/** SQS answers per message: the ones to bring back are listed, the rest are deleted from the queue. */
export function partialBatch(trigger: string, records: EventRecord[]): Envelope {
  return {
    trigger,
    kind: 'queue',
    records,
    respond: (results) => ({
      batchItemFailures: records.flatMap((record, i) => {
        const result = results[i];
        return result && settled(result) ? [] : [{ itemIdentifier: record.id }];
      }),
    }),
    fail: rethrow,
  };
}
