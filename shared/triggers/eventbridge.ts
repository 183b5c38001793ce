import * as z from 'zod/mini';
import { lazy } from '../lazy.js';
import type { EventRecord } from './envelope.js';
import { type BodyText, jsonOf, plainOrBase64 } from './message-body.js';
import { wholeInvocation } from './queue-answer.js';

const schemas = lazy(() => {
  const cloudEvent = z.object({
    id: z.string(),
    specversion: z.string(),
    source: z.string(),
    type: z.string(),
    data: z.unknown(),
  });
  return {
    cloudEvent,
    /** FC's EventBridge-backed triggers: one CloudEvent, or an array of them in batch mode (docs/platforms.md §6). */
    event: z.union([cloudEvent, z.array(cloudEvent).check(z.minLength(1))]),
    mnsQueue: z.object({ messageId: z.string(), messageBody: z.string() }),
    // `value` by the trigger's data format: Text a string, Json a JSON value, Binary base64 (docs/platforms.md §11).
    kafka: z.object({ topic: z.string(), partition: z.number(), offset: z.number(), value: z.unknown() }),
    rocketmq: z.object({ topic: z.string(), body: z.string() }),
  };
});
type CloudEvent = z.output<ReturnType<typeof schemas>['cloudEvent']>;

/** Where each source keeps the message; data of an unknown source is kept whole, so it is refused and dead-lettered, never dropped. */
function open(event: CloudEvent): { source: string; record: EventRecord } {
  const { mnsQueue, kafka, rocketmq } = schemas();
  const mns = z.safeParse(mnsQueue, event.data);
  if (mns.success) {
    const body = plainOrBase64(mns.data.messageBody);
    return { source: 'mns', record: { id: mns.data.messageId, body, headers: {} } };
  }
  const k = z.safeParse(kafka, event.data);
  if (k.success) return { source: 'kafka', record: { id: event.id, ...kafkaBody(k.data.value), headers: {} } };
  const r = z.safeParse(rocketmq, event.data);
  if (r.success) return { source: 'rocketmq', record: { id: event.id, body: r.data.body, headers: {} } };
  const body = typeof event.data === 'string' ? { body: event.data } : jsonOf(event.data ?? '');
  return { source: 'unknown', record: { id: event.id, ...body, headers: {} } };
}

function kafkaBody(value: unknown): BodyText {
  if (typeof value === 'string') return { body: plainOrBase64(value) };
  return value === undefined || value === null ? { body: '' } : jsonOf(value);
}

/** Kafka batches also come as an array of JSON texts, each one CloudEvent (docs/platforms.md §11). */
function parseTexts(event: unknown): unknown {
  if (!Array.isArray(event) || event.length === 0 || !event.every((e) => typeof e === 'string')) return event;
  try {
    return event.map((e) => JSON.parse(e));
  } catch {
    return event;
  }
}

export function openEventBridge(event: unknown) {
  const parsed = z.safeParse(schemas().event, parseTexts(event));
  if (!parsed.success) return undefined;
  const opened = (Array.isArray(parsed.data) ? parsed.data : [parsed.data]).map(open);
  return wholeInvocation(
    `eventbridge-${opened[0]?.source}`,
    opened.map((o) => o.record),
  );
}
