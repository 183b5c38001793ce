import * as z from 'zod/mini';
import type { Outcome } from '../outcome.js';
import type { EventRecord } from '../triggers/envelope.js';

/** What parkflow puts in a dead-letter destination: the event as received, why it failed, and where to replay it. */
export const deadLetterSchema = z.object({
  parkflow_dead_letter: z.literal(1),
  function: z.string(),
  trigger: z.string(),
  record_id: z.string(),
  failed_at: z.string(),
  outcome: z.string(),
  reason: z.string(),
  code: z.optional(z.string()),
  body: z.string(),
});
export type DeadLetter = z.output<typeof deadLetterSchema>;

export function deadLetterOf(fn: string, trigger: string, record: EventRecord, outcome: Outcome): DeadLetter {
  const failure = outcome.kind === 'rejected' || outcome.kind === 'transient' ? outcome.failure : undefined;
  const code =
    outcome.kind === 'conflict'
      ? 'idempotency_conflict'
      : (failure?.sub_code ?? (failure?.code === undefined ? undefined : String(failure.code)));
  return {
    parkflow_dead_letter: 1,
    function: fn,
    trigger,
    record_id: record.id,
    failed_at: new Date().toISOString(),
    outcome: outcome.kind,
    reason: 'message' in outcome ? outcome.message : (failure?.message ?? outcome.kind),
    ...(code === undefined ? {} : { code }),
    body: record.body,
  };
}
