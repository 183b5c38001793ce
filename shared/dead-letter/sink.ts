import { fcContextOf } from '../cloud/fc-context.js';
import { sendMnsMessage } from '../cloud/mns.js';
import { sendSqsMessage } from '../cloud/sqs.js';
import type { Config } from '../config.js';
import type { EventRecord } from '../triggers/envelope.js';
import type { DeadLetter } from './message.js';

/** Puts one dead letter in the configured destination; rejects when it could not. */
export type DeadLetterSink = (letter: DeadLetter, record: EventRecord) => Promise<void>;

/**
 * The configured dead-letter destination, or undefined: then a permanent failure is reported as
 * failed, and the platform's own redrive (SQS redrive policy, the trigger's dead-letter queue, FC's
 * onFailure destination) moves it there once its retries are spent.
 */
export function deadLetterSink(config: Config, context: unknown): DeadLetterSink | undefined {
  const { deadLetterSqsUrl: sqs, deadLetterMnsUrl: mns } = config;
  if (sqs) {
    return async (letter, record) => {
      await sendSqsMessage(sqs, JSON.stringify(letter), {
        group: record.group ?? letter.function,
        deduplicationId: `${letter.function}-${record.id}`.slice(0, 128),
      });
    };
  }
  if (mns) {
    return async (letter) => {
      await sendMnsMessage(mns, JSON.stringify(letter), fcContextOf(context).credentials);
    };
  }
  return undefined;
}
