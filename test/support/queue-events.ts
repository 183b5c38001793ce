// Queue trigger events shaped field for field as the platforms deliver them (docs/platforms.md §3, §6–§8).
import { ACCOUNT, type Body, text } from '../../dev/queue-events.js';
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

/** The n-th distinct valid event of a function (another car, another time). */
export function validEvent(fn: FunctionName, n = 0): Record<string, unknown> {
  const car_no = `浙A${String(10000 + n)}`;
  const time = new Date(Date.UTC(2023, 10, 15, 6, 0, 0) + n * 1000).toISOString();
  switch (fn) {
    case 'arrive':
      return { mall_id: 123, car_no, start_time: time };
    case 'leave':
      return { mall_id: 123, car_no, end_time: time };
    case 'pay':
      return { mall_id: 123, car_no, pay_time: time, park_duration: 42 };
    case 'payinfo-sync':
      return {
        order_id: `order-${n}`,
        park_id: 'park-7',
        car_no,
        pay_time: time,
        order_type: 1,
        pay_fee: 1000,
        pay_order_id: `pay-${n}`,
      };
  }
}

/** An event that fails validation in every function: nothing of it may reach TOP. */
export const INVALID_EVENT = { mall_id: 'abc', car_no: '' };
