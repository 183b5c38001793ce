// Queue trigger events shaped field for field as the platforms deliver them (docs/platforms.md §3, §6–§8, §10):
// `npm run send -- --queue` sends them to the local stack, and the tests hand them to the bundles.
import type { SQSEvent, SQSRecord } from 'aws-lambda';

export type Body = string | Record<string, unknown>;
export const text = (body: Body): string => (typeof body === 'string' ? body : JSON.stringify(body));
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
  opts: { fifo?: boolean; receiveCount?: number; queue?: string } = {},
): Promise<SQSEvent> {
  const name = opts.queue ?? 'parkflow-arrive';
  const queue = opts.fifo ? `${name}.fifo` : name;
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

export const ACCOUNT = '1649015465574023';

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
