import type { Envelope } from './envelope.js';
import { openEventBridge } from './eventbridge.js';
import { openRawEvent } from './fc-async.js';
import { openHttp } from './http.js';
import { type BodyText, jsonOf, textOf } from './message-body.js';
import { openMnsTopic } from './mns-topic.js';
import { openSqs } from './sqs.js';

/** An event no trigger of ours produces; thrown so the platform reports the invocation as failed. */
export class UnknownEventError extends Error {
  override name = 'UnknownEventError';
}

/** FC hands every event over as a Buffer (JSON for its own triggers, anything for an async body); AWS hands over parsed objects. */
function decode(event: unknown): { value: unknown; text?: BodyText } {
  if (!Buffer.isBuffer(event)) return { value: event };
  const text = textOf(event);
  if (text.refused) return { value: undefined, text };
  try {
    return { value: JSON.parse(text.body), text };
  } catch {
    return { value: undefined, text };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Recognises the trigger from the event's shape; an object of no known trigger is taken as the event body itself.
 * A record that carries no id of its own takes the platform's request id.
 */
export function openEvent(event: unknown, platformRequestId: string | undefined): Envelope {
  const { value, text } = decode(event);
  const requestId = platformRequestId ?? 'invocation';
  const envelope = openHttp(value) ?? openSqs(value) ?? openEventBridge(value) ?? openMnsTopic(value, requestId);
  if (envelope) return envelope;
  if (text) return openRawEvent(text, requestId);
  if (isObject(value) && !Array.isArray(value)) return openRawEvent(jsonOf(value), requestId);
  throw new UnknownEventError(
    'The event matches no trigger parkflow knows (HTTP, SQS, FC EventBridge, MNS topic, async invocation).',
  );
}
