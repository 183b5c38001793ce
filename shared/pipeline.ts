import { check, type ParkApi } from './apis/api.js';
import { runBatch } from './batch.js';
import { parseBody } from './body.js';
import { type Budget, MIN_ATTEMPT_MS, QUEUE_SEND_MS } from './budget.js';
import type { Config } from './config.js';
import { deadLetterOf } from './dead-letter/message.js';
import { once } from './idempotency/once.js';
import { requestPrint } from './idempotency/request-print.js';
import type { IdempotencyStore } from './idempotency/store.js';
import type { CallGate } from './limit/limiter.js';
import { logError, logOutcome, type Where } from './log.js';
import { type PersonalData, personalData, scrubOutcome } from './mask.js';
import { invalid, isPermanent, type Outcome, type RecordOutcome, settled, transient } from './outcome.js';
import type { DeadLetterSink, Invocation } from './runtime/runtime.js';
import { callTop } from './top/client.js';
import type { ParamValue } from './top/params.js';
import { signatureRefused } from './top/result.js';
import type { EventRecord } from './triggers/envelope.js';

export interface Pipeline {
  api: ParkApi;
  settings: Config;
  store: IdempotencyStore;
  /** The app's call limit, shared with every instance through the store. */
  limiter: CallGate;
  invocation: Invocation;
  /** The invocation's time, from its deadline: it bounds every wait. */
  budget: Budget;
  /** Settings with the TOP secret read again, when TOP refused our signature and the secret has changed. */
  resign?: (() => Promise<Config | undefined>) | undefined;
}

/** A record on its way through the pipeline: each step fills in what it finds, and the last one its outcome. */
export type Pending = Omit<RecordOutcome, 'outcome'> & { outcome: Outcome | undefined };

/** Every field set from the start, so that every record's object has one shape on the hot path. */
export function startRecord(record: EventRecord): Pending {
  return {
    outcome: undefined,
    record_id: record.id,
    webhook_id: record.headers['webhook-id'],
    idempotency_key: undefined,
    car_no: undefined,
    mobile: undefined,
    latency_ms: 0,
    top_latency_ms: undefined,
    dead_lettered: undefined,
  };
}

/**
 * Reads and validates a record: its request params, or undefined when `r.outcome` now says why
 * not. Puts its masked plate and mobile number and its idempotency key in `r`.
 */
export function checkRecord(
  api: ParkApi,
  record: EventRecord,
  r: Pending,
): { params: Record<string, ParamValue>; key: string; personal: PersonalData } | undefined {
  if (record.refused) {
    r.outcome = record.refused;
    return undefined;
  }
  const body = parseBody(record.body);
  if (!body.ok) {
    r.outcome = body.outcome;
    return undefined;
  }
  const personal = personalData(body.value);
  r.car_no = personal.car_no;
  r.mobile = personal.mobile;
  const checked = check(api, body.value, r.webhook_id);
  if (!checked.ok) {
    const n = checked.issues.length;
    r.outcome = invalid(`The event has ${n} problem${n === 1 ? '' : 's'}; nothing was sent to TOP.`, checked.issues);
    return undefined;
  }
  r.idempotency_key = checked.key;
  return { params: checked.params, key: checked.key, personal };
}

const NOT_STARTED: Outcome = transient(
  {
    reason: 'deadline',
    message: 'Not started: the time left could not cover a store claim and a call to TOP; nothing was sent.',
  },
  1,
);

/**
 * Validate → dedupe → sign and send: the record's outcome. A record is started only when the time
 * left covers a store claim, one TOP attempt and recording its result; TOP's calls end in time to
 * record it (docs/decisions.md §3).
 */
async function deliver(p: Pipeline, record: EventRecord, r: Pending): Promise<Outcome> {
  const checked = checkRecord(p.api, record, r);
  if (!checked) return r.outcome as Outcome;
  const { api, settings, store, budget } = p;
  if (budget.left() < 2 * store.waitMs + MIN_ATTEMPT_MS) return NOT_STARTED;
  const deadline = budget.end - store.waitMs;
  const outcome = await once(
    {
      store,
      key: checked.key,
      budget,
      ttlSeconds: settings.idempotencyTtlSeconds,
      request: requestPrint(checked.params),
    },
    async () => {
      const started = Date.now();
      const call = {
        method: api.method,
        resultField: api.resultField,
        params: checked.params,
        deadline,
        gate: p.limiter,
      };
      let result = await callTop(settings, call);
      // A rotated secret: signed again with the new one, once.
      if (p.resign && signatureRefused(result)) {
        const fresh = await budget.within(p.resign(), () => undefined);
        if (fresh) result = await callTop(fresh, call);
      }
      // An event held back by the call limit never reached TOP.
      if (result.attempts > 0) r.top_latency_ms = Date.now() - started;
      return result;
    },
  );
  return scrubOutcome(outcome, checked.personal);
}

/** Ends a record: its outcome, its latency, and its one log line. */
export function finish(where: Where, r: Pending, outcome: Outcome, started: number): RecordOutcome {
  r.outcome = outcome;
  r.latency_ms = Date.now() - started;
  logOutcome(where, r as RecordOutcome);
  return r as RecordOutcome;
}

const BLOCKED: Outcome = transient(
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
): Promise<RecordOutcome[]> {
  const where: Where = { function: p.api.name, trigger, invocation: p.invocation };
  const work = async (record: EventRecord): Promise<RecordOutcome> => {
    const started = Date.now();
    const r = startRecord(record);
    const outcome = await deliver(p, record, r);
    if (deadLetter) {
      r.dead_lettered = false;
      if (isPermanent(outcome)) {
        try {
          await deadLetter(deadLetterOf(p.api.name, trigger, record, outcome), record, p.budget.wait(QUEUE_SEND_MS));
          r.dead_lettered = true;
        } catch (err) {
          // Reported as failed instead: the platform brings it back, and it is dead-lettered then or by the platform's redrive.
          logError('dead_letter', { function: p.api.name, record_id: record.id, error: (err as Error).message });
        }
      }
    }
    return finish(where, r, outcome, started);
  };
  const skip = (record: EventRecord): RecordOutcome => finish(where, startRecord(record), BLOCKED, Date.now());
  return runBatch(records, p.settings.concurrency, work, (r) => !settled(r), skip);
}
