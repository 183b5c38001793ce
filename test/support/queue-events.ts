// Queue trigger events shaped field for field as the platforms deliver them (docs/platforms.md §3, §6–§8).
import type { SQSEvent, SQSRecord } from 'aws-lambda';

type Body = string | Record<string, unknown>;
const text = (body: Body): string => (typeof body === 'string' ? body : JSON.stringify(body));
const md5 = async (s: string) => (await import('node:crypto')).createHash('md5').update(s).digest('hex');
const SENT = 1_700_000_000_000;

export interface SqsMessage {
  body: Body;
  messageId?: string;
  /** FIFO only. */
  group?: string;
}

/** A Lambda SQS event; FIFO when `fifo` is set (the ARN ends in .fifo and records carry group and sequence). */
export async function sqsEvent(
  messages: SqsMessage[],
  opts: { fifo?: boolean; receiveCount?: number } = {},
): Promise<SQSEvent> {
  const queue = opts.fifo ? 'parkflow-arrive.fifo' : 'parkflow-arrive';
  const Records: SQSRecord[] = await Promise.all(
    messages.map(async (m, i) => {
      const body = text(m.body);
      return {
        messageId: m.messageId ?? `059f36b4-87a3-44ab-83d2-${String(i).padStart(12, '0')}`,
        receiptHandle: `AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a${i}`,
        body,
        attributes: {
          ApproximateReceiveCount: String(opts.receiveCount ?? 1),
          SentTimestamp: String(SENT + i),
          SenderId: 'AIDAIENQZJOLO23YVJ4VO',
          ApproximateFirstReceiveTimestamp: String(SENT + 1000 + i),
          ...(opts.fifo
            ? {
                SequenceNumber: String(18849496460467696128n + BigInt(i)),
                MessageGroupId: m.group ?? 'mall-1',
                MessageDeduplicationId: `dedup-${i}`,
              }
            : {}),
        },
        messageAttributes: {},
        md5OfBody: await md5(body),
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:ap-southeast-1:123456789012:${queue}`,
        awsRegion: 'ap-southeast-1',
      };
    }),
  );
  return { Records };
}

export type EventBridgeSource = 'mns' | 'rocketmq' | 'kafka';

const ACCOUNT = '1649015465574023';

/** How the trigger hands a Kafka record's value over, by its data format: Text, Json or Binary. */
export type KafkaFormat = 'text' | 'json' | 'binary';

const kafkaValue = (body: string, format: KafkaFormat) =>
  format === 'json' ? JSON.parse(body) : format === 'binary' ? Buffer.from(body).toString('base64') : body;

function cloudEvent(source: EventBridgeSource, body: string, i: number, base64: boolean, kafka: KafkaFormat) {
  const common = {
    id: `94ebc15f-f0db-4bbe-acce-56fb72fb${String(i).padStart(4, '0')}`,
    specversion: '1.0',
    datacontenttype: 'application/json; charset=utf-8',
    time: '2023-11-15T06:13:20.766Z',
    aliyunaccountid: ACCOUNT,
    aliyunpublishtime: '2023-11-15T06:13:20.812Z',
    aliyunoriginalaccountid: ACCOUNT,
    aliyunregionid: 'cn-hangzhou',
    aliyunpublishaddr: '42.120.0.1',
  };
  switch (source) {
    case 'mns':
      return {
        ...common,
        source: 'MNS-parkflow-arrive-mns-trigger',
        type: 'mns:Queue:SendMessage',
        subject: `acs:mns:cn-hangzhou:${ACCOUNT}:queues/parkflow-arrive`,
        aliyuneventbusname: 'MNS-parkflow-arrive-mns-trigger',
        data: {
          requestId: `606EA3074344430D4C81${String(i).padStart(4, '0')}`,
          messageId: `C6DB60D1574661357FA22727744${String(i).padStart(5, '0')}`,
          messageBody: base64 ? Buffer.from(body).toString('base64') : body,
        },
      };
    case 'rocketmq':
      return {
        ...common,
        source: 'RocketMQ-parkflow-arrive-rocketmq-trigger',
        type: 'mq:Topic:SendMessage',
        subject: `acs:mq:cn-hangzhou:${ACCOUNT}:MQ_INST_${ACCOUNT}_BX4jvZZG/parkflow-arrive`,
        aliyuneventbusname: 'RocketMQ-parkflow-arrive-rocketmq-trigger',
        data: {
          topic: 'parkflow-arrive',
          systemProperties: {
            MIN_OFFSET: '0',
            TRACE_ON: 'true',
            MAX_OFFSET: String(i + 1),
            MSG_REGION: 'cn-hangzhou',
            KEYS: `event-${i}`,
            CONSUME_START_TIME: 1700028800396,
            TAGS: 'arrive',
            INSTANCE_ID: `MQ_INST_${ACCOUNT}_BX4jvZZG`,
          },
          userProperties: {},
          body,
        },
      };
    case 'kafka':
      return {
        ...common,
        source: 'acs:alikafka',
        type: 'alikafka:Topic:Message',
        subject: 'acs:alikafka_alikafka_pre-cn-i7m2t7t1****:topic:parkflow-arrive',
        data: {
          topic: 'parkflow-arrive',
          partition: 7,
          offset: 25 + i,
          timestamp: 1700028800589 + i,
          headers: { headers: [], isReadOnly: false },
          key: `event-${i}`,
          value: kafkaValue(body, kafka),
        },
      };
  }
}

/**
 * An FC EventBridge-backed trigger event as the FC runtime hands it over: a Buffer; an array in
 * batch mode, of CloudEvents, or with `texts` of JSON texts each one CloudEvent (Kafka, as Alibaba's
 * Go runtime SDK shows it).
 */
export function eventBridgeEvent(
  source: EventBridgeSource,
  bodies: Body[],
  opts: { batch?: boolean; base64?: boolean; kafka?: KafkaFormat; texts?: boolean } = {},
): Buffer {
  const events = bodies.map((b, i) => cloudEvent(source, text(b), i, opts.base64 ?? false, opts.kafka ?? 'text'));
  const batch = opts.batch ?? bodies.length > 1;
  const items = opts.texts ? events.map((e) => JSON.stringify(e)) : events;
  return Buffer.from(JSON.stringify(batch ? items : items[0]));
}

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

export const FUNCTIONS = ['arrive', 'leave', 'pay', 'payinfo-sync'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

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
