import * as z from 'zod/mini';
import { lazy } from '../lazy.js';
import type { Envelope } from './envelope.js';
import { partialBatch } from './queue-answer.js';

/** A Lambda event from an SQS event source mapping, standard or FIFO (docs/platforms.md §3). */
const sqsEvent = lazy(() =>
  z.object({
    Records: z
      .array(
        z.object({
          messageId: z.string(),
          body: z.string(),
          eventSource: z.literal('aws:sqs'),
          eventSourceARN: z.string(),
          attributes: z.object({ MessageGroupId: z.optional(z.string()) }),
        }),
      )
      .check(z.minLength(1)),
  }),
);

/** Needs `ReportBatchItemFailures` on the event source mapping, or a failure brings back the whole batch. */
export function openSqs(event: unknown): Envelope | undefined {
  const parsed = z.safeParse(sqsEvent(), event);
  if (!parsed.success) return undefined;
  const fifo = parsed.data.Records[0]?.eventSourceARN.endsWith('.fifo') ?? false;
  return partialBatch(
    fifo ? 'sqs-fifo' : 'sqs',
    parsed.data.Records.map((r) => ({
      id: r.messageId,
      body: r.body,
      headers: {},
      group: r.attributes.MessageGroupId,
    })),
  );
}
