import type { Context } from 'aws-lambda';
import { sendSqsMessage } from '../cloud/sqs.js';
import { type Config, ConfigError } from '../config.js';
import { type DeadLetterSink, deadlineAfter, type Runtime } from './runtime.js';

/** Lambda's context: the time left comes from getRemainingTimeInMillis (docs/platforms.md §1). */
export type AwsContext = Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>;

/** Queue mode on AWS: SendMessage to the SQS queue the function consumes. */
export async function enqueueSqs(settings: Config, body: string, key: string, waitMs: number): Promise<string> {
  if (!settings.deliveryQueueUrl) {
    throw new ConfigError(
      'parkflow is not configured: DELIVERY_QUEUE_URL is not set: the SQS queue this function consumes, required when DELIVERY_MODE is queue on AWS.',
    );
  }
  // On a FIFO queue the key is also the deduplication id, so a webhook retry within 5 minutes is dropped by SQS itself.
  return sendSqsMessage(settings.deliveryQueueUrl, body, { group: key, deduplicationId: key.slice(-64) }, waitMs);
}

/** DEAD_LETTER_SQS_URL, when set. */
export function sqsDeadLetters(settings: Config): DeadLetterSink | undefined {
  const queueUrl = settings.deadLetterSqsUrl;
  if (!queueUrl) return undefined;
  return async (letter, record, waitMs) => {
    await sendSqsMessage(
      queueUrl,
      JSON.stringify(letter),
      { group: record.group ?? letter.function, deduplicationId: `${letter.function}-${record.id}`.slice(0, 128) },
      waitMs,
    );
  };
}

/**
 * Lambda's runtime sets AWS_LAMBDA_INITIALIZATION_TYPE (`on-demand` or `provisioned-concurrency`,
 * docs/decisions.md §11): there the module loads in the init phase, at full CPU or ahead of traffic.
 */
export const initRunsAtFullCpu = (env: Record<string, string | undefined>): boolean =>
  Boolean(env.AWS_LAMBDA_INITIALIZATION_TYPE);

/**
 * AWS Lambda, told by its context, which alone tells the time left; undefined for any other
 * context. Credentials, region and the SQS endpoint come from the environment, through the SDK.
 */
export function awsRuntime(context: unknown, now: number): Runtime | undefined {
  const c = context as Partial<AwsContext> | null | undefined;
  if (typeof c?.getRemainingTimeInMillis !== 'function') return undefined;
  return {
    platform: 'aws',
    requestId: c.awsRequestId,
    deadline: deadlineAfter(c.getRemainingTimeInMillis(), now),
    enqueue: enqueueSqs,
    deadLetters: sqsDeadLetters,
  };
}
