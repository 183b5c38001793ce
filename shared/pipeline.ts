import { check, type ParkApi } from './apis.js';
import { runBatch } from './batch.js';
import { parseBody } from './body.js';
import type { Config } from './config.js';
import { deadLetterOf } from './dead-letter/message.js';
import type { DeadLetterSink } from './dead-letter/sink.js';
import { once } from './idempotency/once.js';
import type { IdempotencyStore } from './idempotency/store.js';
import { logError, logOutcome } from './log.js';
import { maskPlate } from './mask.js';
import { invalid, isPermanent, type Outcome, type RecordResult, settled, transient } from './outcome.js';
import { callTop } from './top/client.js';
import type { EventRecord } from './triggers/envelope.js';

export interface Pipeline {
  api: ParkApi;
  settings: Config;
  store: IdempotencyStore;
  /** Epoch ms by which every send must be over. */
  deadline: number;
}

/** A record read and validated: request params and idempotency key, or the outcome that ends it. */
export type CheckedRecord = {
  /** Masked, for the log line. */
  car_no?: string | undefined;
} & ({ ok: false; outcome: Outcome } | Extract<ReturnType<typeof check>, { ok: true }>);

export function checkRecord(api: ParkApi, record: EventRecord): CheckedRecord {
  const body = parseBody(record.body);
  if (!body.ok) return body;
  const plate = body.value.car_no;
  const car_no = typeof plate === 'string' ? maskPlate(plate) : undefined;
  const checked = check(api, body.value);
  if (checked.ok) return { ...checked, car_no };
  const n = checked.issues.length;
  const message = `The event has ${n} problem${n === 1 ? '' : 's'}; nothing was sent to TOP.`;
  return { ok: false, outcome: invalid(message, checked.issues), car_no };
}

/** Validate → dedupe → sign and send: one record's outcome. */
async function deliver(p: Pipeline, record: EventRecord): Promise<{ outcome: Outcome; car_no?: string | undefined }> {
  const checked = checkRecord(p.api, record);
  if (!checked.ok) return checked;
  const { api, settings, store, deadline } = p;
  const outcome = await once({ store, key: checked.key, deadline, ttlSeconds: settings.idempotencyTtlSeconds }, () =>
    callTop(settings, { method: api.method, resultField: api.resultField, params: checked.params, deadline }),
  );
  return { outcome, car_no: checked.car_no };
}

const blocked: Outcome = transient(
  { reason: 'fifo_group_blocked', message: 'An earlier message of its FIFO group failed; it waits for that one.' },
  0,
);

/**
 * Every record of a trigger through the pipeline, at most `settings.concurrency` at once. On a
 * queue, a permanent failure goes to the dead-letter destination when there is one; each record's
 * end is logged once, with the reason.
 */
export function processRecords(
  p: Pipeline,
  trigger: string,
  records: EventRecord[],
  deadLetter: DeadLetterSink | undefined,
): Promise<RecordResult[]> {
  const work = async (record: EventRecord): Promise<RecordResult> => {
    const started = Date.now();
    const { outcome, car_no } = await deliver(p, record);
    let deadLettered = false;
    if (deadLetter && isPermanent(outcome)) {
      try {
        await deadLetter(deadLetterOf(p.api.name, trigger, record, outcome), record);
        deadLettered = true;
      } catch (err) {
        // Reported as failed instead: the platform brings it back, and it is dead-lettered then or by the platform's redrive.
        logError('dead_letter', { function: p.api.name, record_id: record.id, error: (err as Error).message });
      }
    }
    const latency_ms = Date.now() - started;
    logOutcome(
      {
        function: p.api.name,
        trigger,
        record_id: record.id,
        latency_ms,
        car_no,
        dead_lettered: deadLetter && deadLettered,
      },
      outcome,
    );
    return { outcome, deadLettered };
  };
  const skip = (record: EventRecord): RecordResult => {
    logOutcome({ function: p.api.name, trigger, record_id: record.id, latency_ms: 0 }, blocked);
    return { outcome: blocked, deadLettered: false };
  };
  return runBatch(records, p.settings.concurrency, work, (r) => !settled(r), skip);
}
