import type { ParkApi } from '../api.js';
import { fcContextOf } from '../cloud/fc-context.js';
import { invokeAsync } from '../cloud/fc-invoke.js';
import { sendSqsMessage } from '../cloud/sqs.js';
import { type Config, ConfigError } from '../config.js';
import type { Invocation } from '../invocation.js';
import { logError, logOutcome } from '../log.js';
import { type Outcome, type RecordResult, transient } from '../outcome.js';
import { checkRecord, outcomeLog } from '../pipeline.js';
import type { EventRecord } from '../triggers/envelope.js';

/** Puts a valid event on the queue this function consumes: SQS on AWS, an async invocation of itself on FC. */
async function enqueue(
  trigger: string,
  settings: Config,
  context: unknown,
  record: EventRecord,
  key: string,
): Promise<string> {
  if (trigger === 'fc-http') return invokeAsync(fcContextOf(context), record.body, settings.deliveryFcEndpoint);
  if (!settings.deliveryQueueUrl) {
    throw new ConfigError(
      'parkflow is not configured: DELIVERY_QUEUE_URL is not set: the SQS queue this function consumes, required when DELIVERY_MODE is queue on AWS.',
    );
  }
  // On a FIFO queue the key is also the deduplication id, so a webhook retry within 5 minutes is dropped by SQS itself.
  return sendSqsMessage(settings.deliveryQueueUrl, record.body, { group: key, deduplicationId: key.slice(-64) });
}

/**
 * DELIVERY_MODE=queue: an HTTP event is validated (a 202 is a promise, so an invalid event still
 * gets its 400) and handed to the function's own queue; the queue side sends it, with retries,
 * idempotency and dead letters. A queue that cannot be reached is a 503: the sender retries.
 */
export function handOff(
  p: { api: ParkApi; settings: Config; invocation: Invocation; context: unknown },
  trigger: string,
  records: EventRecord[],
): Promise<RecordResult[]> {
  const { api, settings, context } = p;
  const where = { function: api.name, trigger, invocation: p.invocation };
  return Promise.all(
    records.map(async (record) => {
      const started = Date.now();
      const checked = checkRecord(api, record);
      let outcome: Outcome;
      if (!checked.ok) outcome = checked.outcome;
      else {
        try {
          outcome = {
            kind: 'queued',
            message_id: await enqueue(trigger, settings, context, record, checked.key),
          };
        } catch (err) {
          if (err instanceof ConfigError) throw err;
          logError('queue_mode', { function: api.name, record_id: record.id, error: (err as Error).message });
          outcome = transient(
            { reason: 'queue_unavailable', message: 'The event could not be queued; nothing was sent.' },
            5,
          );
        }
      }
      const delivery = { outcome, personal: checked.personal, key: checked.ok ? checked.key : undefined };
      logOutcome(outcomeLog(where, record, delivery, started), outcome);
      return { outcome, deadLettered: false };
    }),
  );
}
