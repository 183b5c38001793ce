import type { SQSClient } from '@aws-sdk/client-sqs';

let client: SQSClient | undefined;

/** FIFO queues need a group (order is kept within it) and a deduplication id (repeats within 5 minutes are dropped). */
export interface FifoIds {
  group: string;
  deduplicationId: string;
}

/**
 * SendMessage with the SDK the Lambda runtime ships (kept out of the bundle, loaded on first use).
 * The SDK sends to the queue URL's own host, and takes region and credentials from the environment.
 * It waits `waitMs` at most.
 */
export async function sendSqsMessage(queueUrl: string, body: string, fifo: FifoIds, waitMs: number): Promise<string> {
  // Started before the SDK loads: loading it is part of the wait.
  const abortSignal = AbortSignal.timeout(waitMs);
  const sdk = await import('@aws-sdk/client-sqs');
  client ??= new sdk.SQSClient({});
  const isFifo = queueUrl.endsWith('.fifo');
  const sent = await client.send(
    new sdk.SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      ...(isFifo ? { MessageGroupId: fifo.group, MessageDeduplicationId: fifo.deduplicationId } : {}),
    }),
    { abortSignal },
  );
  return sent.MessageId ?? '';
}
