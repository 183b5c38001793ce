import { type Checked, check, type ParkApi } from './api.js';
import { runBatch } from './batch.js';
import { parseBody } from './body.js';
import type { Config } from './config.js';
import { deadLetterOf } from './dead-letter/message.js';
import type { DeadLetterSink } from './dead-letter/sink.js';
import { once } from './idempotency/once.js';
import { requestPrint } from './idempotency/request-print.js';
import type { IdempotencyStore } from './idempotency/store.js';
import type { Invocation } from './invocation.js';
import { logError, logOutcome, type OutcomeLog } from './log.js';
import { type PersonalData, personalData, scrubOutcome } from './mask.js';
import { invalid, isPermanent, type Outcome, type RecordResult, settled, transient } from './outcome.js';
import { callTop } from './top/client.js';
import { signatureRefused } from './top/result.js';
import type { EventRecord } from './triggers/envelope.js';

export interface Pipeline {
  api: ParkApi;
  settings: Config;
  store: IdempotencyStore;
  /** Epoch ms by which every send must be over. */
  deadline: number;
  invocation: Invocation;
  /** Settings with the TOP secret read again, when TOP refused our signature and the secret has changed. */
  resign?: (() => Promise<Config | undefined>) | undefined;
}

/** A record read and validated: request params and idempotency key, or the outcome that ends it. */
export type CheckedRecord = {
  /** Its plate and mobile number masked, for the log line. */
  personal?: PersonalData | undefined;
} & ({ ok: false; outcome: Outcome } | Extract<Checked, { ok: true }>);

export function checkRecord(api: ParkApi, record: EventRecord): CheckedRecord {
  if (record.refused) return { ok: false, outcome: record.refused };
  const body = parseBody(record.body);
  if (!body.ok) return body;
  const personal = personalData(body.value);
  const checked = check(api, body.value, record.headers['webhook-id']);
  if (checked.ok) return { ok: true, params: checked.params, key: checked.key, personal };
  const n = checked.issues.length;
  const message = `The event has ${n} problem${n === 1 ? '' : 's'}; nothing was sent to TOP.`;
  return { ok: false, outcome: invalid(message, checked.issues), personal };
}

export interface Delivery {
  outcome: Outcome;
  personal?: PersonalData | undefined;
  key?: string | undefined;
  top_latency_ms?: number | undefined;
}

/** Validate → dedupe → sign and send: one record's outcome. */
async function deliver(p: Pipeline, record: EventRecord): Promise<Delivery> {
  const checked = checkRecord(p.api, record);
  if (!checked.ok) return checked;
  const { api, settings, store, deadline } = p;
  let top_latency_ms: number | undefined;
  const outcome = await once(
    {
      store,
      key: checked.key,
      deadline,
      ttlSeconds: settings.idempotencyTtlSeconds,
      request: requestPrint(checked.params),
    },
    async () => {
      const started = Date.now();
      const call = { method: api.method, resultField: api.resultField, params: checked.params, deadline };
      let result = await callTop(settings, call);
      // A rotated secret: signed again with the new one, once.
      if (p.resign && signatureRefused(result)) {
        const fresh = await p.resign();
        if (fresh) result = await callTop(fresh, call);
      }
      top_latency_ms = Date.now() - started;
      return result;
    },
  );
  const { personal, key } = checked;
  return { outcome: personal ? scrubOutcome(outcome, personal) : outcome, personal, key, top_latency_ms };
}

/** Where records are processed, as their log lines say. */
export type Where = Pick<OutcomeLog, 'function' | 'trigger' | 'invocation'>;

/** The log line's account of a record, from what its delivery found. */
export const outcomeLog = (
  where: Where,
  record: EventRecord,
  d: Delivery,
  started: number,
  dead_lettered?: boolean,
): OutcomeLog => ({
  function: where.function,
  trigger: where.trigger,
  invocation: where.invocation,
  record_id: record.id,
  idempotency_key: d.key,
  webhook_id: record.headers['webhook-id'],
  latency_ms: Date.now() - started,
  top_latency_ms: d.top_latency_ms,
  car_no: d.personal?.car_no,
  mobile: d.personal?.mobile,
  dead_lettered,
});

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
  const where: Where = { function: p.api.name, trigger, invocation: p.invocation };
  const work = async (record: EventRecord): Promise<RecordResult> => {
    const started = Date.now();
    const delivery = await deliver(p, record);
    const { outcome } = delivery;
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
    logOutcome(outcomeLog(where, record, delivery, started, deadLetter && deadLettered), outcome);
    return { outcome, deadLettered };
  };
  const skip = (record: EventRecord): RecordResult => {
    logOutcome(outcomeLog(where, record, { outcome: blocked }, Date.now()), blocked);
    return { outcome: blocked, deadLettered: false };
  };
  return runBatch(records, p.settings.concurrency, work, (r) => !settled(r), skip);
}
