import type { ParkApi } from '../apis/api.js';
import { type Budget, QUEUE_SEND_MS } from '../budget.js';
import { type Config, ConfigError } from '../config.js';
import { logError, type Where } from '../log.js';
import { type Outcome, type RecordOutcome, transient } from '../outcome.js';
import { checkRecord, finish, startRecord } from '../pipeline.js';
import type { Runtime } from '../runtime/runtime.js';
import type { EventRecord } from '../triggers/envelope.js';

/** What a sender is told to wait when its event could not be queued: a queue outage is short. */
const QUEUE_RETRY_SECONDS = 5;

/**
 * DELIVERY_MODE=queue: an HTTP event is validated (a 202 is a promise, so an invalid event still
 * gets its 400) and handed to the function's own queue, which the runtime knows (SQS on AWS, an
 * async invocation of itself on FC); the queue side sends it, with retries, idempotency and dead
 * letters. A queue that cannot be reached is a 503: the sender retries.
 */
export function handOff(
  p: { api: ParkApi; settings: Config; runtime: Runtime; budget: Budget },
  trigger: string,
  records: EventRecord[],
): Promise<RecordOutcome[]> {
  const { api, settings, runtime } = p;
  const where: Where = { function: api.name, trigger, invocation: runtime };
  return Promise.all(
    records.map(async (record) => {
      const started = Date.now();
      const r = startRecord(record);
      const checked = checkRecord(api, record, r);
      if (!checked) return finish(where, r, r.outcome as Outcome, started);
      let outcome: Outcome;
      try {
        outcome = {
          kind: 'queued',
          message_id: await runtime.enqueue(settings, record.body, checked.key, p.budget.wait(QUEUE_SEND_MS)),
        };
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        logError('queue_mode', { function: api.name, record_id: record.id, error: (err as Error).message });
        outcome = transient(
          { reason: 'queue_unavailable', message: 'The event could not be queued; nothing was sent.' },
          QUEUE_RETRY_SECONDS,
        );
      }
      return finish(where, r, outcome, started);
    }),
  );
}
