import type { Envelope } from './envelope.js';
import type { BodyText } from './message-body.js';
import { wholeInvocation } from './queue-answer.js';

/**
 * An FC async invocation (queue mode hands events over this way) hands over the event body itself;
 * so does an MNS topic STREAM message without attributes, and a direct Lambda invoke. Whatever the
 * text is, it becomes the record: if it is not a valid event it is refused and dead-lettered, not lost.
 */
export function openRawEvent(text: BodyText, requestId: string): Envelope {
  return wholeInvocation('fc-async', [{ id: requestId, ...text, headers: {} }]);
}
