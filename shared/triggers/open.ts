import type { Envelope } from './envelope.js';
import { openHttp } from './http.js';

/** An event no trigger of ours produces; thrown so the platform reports the invocation as failed. */
export class UnknownEventError extends Error {
  override name = 'UnknownEventError';
}

/** FC hands every event over as a Buffer of JSON; AWS hands over parsed objects. */
function decode(event: unknown): unknown {
  if (!Buffer.isBuffer(event)) return event;
  const text = event.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new UnknownEventError('The event is a Buffer that is not JSON; parkflow expects an FC HTTP trigger event.');
  }
}

/** Recognises the trigger from the event's shape. */
export function openEvent(event: unknown): Envelope {
  const decoded = decode(event);
  const envelope = openHttp(decoded);
  if (envelope) return envelope;
  throw new UnknownEventError(
    'The event matches no trigger parkflow knows (API Gateway REST or HTTP API, Function URL, FC HTTP).',
  );
}
