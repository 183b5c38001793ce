// Queue trigger events shaped field for field as the platforms deliver them (docs/platforms.md §3, §6–§8).
import { ACCOUNT, type Body, text } from '../../dev/queue-events.js';
import { sample } from '../../dev/stack/samples.js';
import type { FunctionName } from '../../shared/registry.js';

export {
  type EventBridgeSource,
  eventBridgeEvent,
  type KafkaFormat,
  type SqsMessage,
  sqsEvent,
} from '../../dev/queue-events.js';

/** MNS topic trigger, JSON notify format. */
export function mnsTopicJson(body: Body): Buffer {
  const message = text(body);
  return Buffer.from(
    JSON.stringify({
      TopicOwner: ACCOUNT,
      Message: message,
      Subscriber: ACCOUNT,
      PublishTime: 1700028800888,
      SubscriptionName: 'parkflow-arrive',
      MessageMD5: 'BA4BA9B48AC81F0F9C66F6C909C39DBB',
      TopicName: 'parkflow-events',
      MessageId: '2F5B3C082B923D4EAC696B7A6B7B06DB',
    }),
  );
}

/** MNS topic trigger, STREAM notify format: the message itself, or `{body, attrs}` when it has attributes. */
export function mnsTopicStream(body: Body, attrs?: Record<string, string>): Buffer {
  return Buffer.from(attrs ? JSON.stringify({ body: text(body), attrs }) : text(body));
}

/** FC async invocation: the event body itself, as a Buffer. */
export function fcAsync(body: Body): Buffer {
  return Buffer.from(text(body));
}

export { FUNCTION_NAMES as FUNCTIONS, type FunctionName } from '../../shared/registry.js';

/** The n-th distinct valid event of a function: its sample (dev/stack/samples.ts) for another car, another time. */
export function validEvent(fn: FunctionName, n = 0): Record<string, unknown> {
  const event = sample(fn, { now: Date.UTC(2023, 10, 15, 6, 0, 0) + n * 1000 });
  event.car_no = `浙A${String(10000 + n)}`;
  return event;
}

/** An event that fails validation in every function: nothing of it may reach TOP. */
export const INVALID_EVENT = { mall_id: 'abc', car_no: '' };
