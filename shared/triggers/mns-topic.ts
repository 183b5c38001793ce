import * as z from 'zod/mini';
import { lazy } from '../lazy.js';
import type { Envelope } from './envelope.js';
import { plainOrBase64 } from './message-body.js';
import { wholeInvocation } from './queue-answer.js';

const schemas = lazy(() => ({
  /** An MNS topic subscription with the JSON notify format. */
  json: z.object({
    TopicOwner: z.string(),
    TopicName: z.string(),
    MessageId: z.string(),
    Message: z.string(),
  }),
  /** The STREAM notify format of a message with attributes (without, the event is the message itself). */
  streamWithAttributes: z.strictObject({ body: z.string(), attrs: z.record(z.string(), z.unknown()) }),
}));

export function openMnsTopic(event: unknown, requestId: string): Envelope | undefined {
  const json = z.safeParse(schemas().json, event);
  if (json.success) {
    const { MessageId: id, Message } = json.data;
    return wholeInvocation('mns-topic', [{ id, body: plainOrBase64(Message), headers: {} }]);
  }
  const stream = z.safeParse(schemas().streamWithAttributes, event);
  if (stream.success) {
    return wholeInvocation('mns-topic', [{ id: requestId, body: plainOrBase64(stream.data.body), headers: {} }]);
  }
  return undefined;
}
