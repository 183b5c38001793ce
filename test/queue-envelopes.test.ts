import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../dev/sandbox/index.js';
import { coldStart } from './support/bundles.js';
import { awsContext, fcContext } from './support/events.js';
import {
  type EventBridgeSource,
  eventBridgeEvent,
  FUNCTIONS,
  type FunctionName,
  fcAsync,
  mnsTopicJson,
  mnsTopicStream,
  sqsEvent,
  validEvent,
} from './support/queue-events.js';
import { accepted, plateOf, queueEnv } from './support/queue-setup.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const METHOD: Record<FunctionName, string> = {
  arrive: 'tmall.popupstore.park.backflow',
  leave: 'tmall.popupstore.park.backflow',
  pay: 'tmall.popupstore.park.backflow',
  'payinfo-sync': 'taobao.taojie.parking.order.payinfo.sync',
};

/** Each queue shape, carrying two distinct valid events of `fn`, and what a successful answer looks like. */
const SHAPES: {
  name: string;
  invoke(fn: FunctionName): Promise<{ event: unknown; context: unknown; events: number }>;
}[] = [
  {
    name: 'SQS standard',
    invoke: async (fn) => ({
      event: await sqsEvent([{ body: validEvent(fn, 1) }, { body: validEvent(fn, 2) }]),
      context: awsContext(),
      events: 2,
    }),
  },
  {
    name: 'SQS FIFO',
    invoke: async (fn) => ({
      event: await sqsEvent(
        [
          { body: validEvent(fn, 1), group: 'g1' },
          { body: validEvent(fn, 2), group: 'g1' },
        ],
        { fifo: true },
      ),
      context: awsContext(),
      events: 2,
    }),
  },
  ...(['mns', 'rocketmq', 'kafka'] as EventBridgeSource[]).flatMap((source) => [
    {
      name: `EventBridge ${source}, one CloudEvent`,
      invoke: async (fn: FunctionName) => ({
        event: eventBridgeEvent(source, [validEvent(fn, 1)]),
        context: fcContext(),
        events: 1,
      }),
    },
    {
      name: `EventBridge ${source}, batch`,
      invoke: async (fn: FunctionName) => ({
        event: eventBridgeEvent(source, [validEvent(fn, 1), validEvent(fn, 2)], { batch: true }),
        context: fcContext(),
        events: 2,
      }),
    },
  ]),
  {
    name: 'EventBridge mns, base64 messageBody',
    invoke: async (fn) => ({
      event: eventBridgeEvent('mns', [validEvent(fn, 1), validEvent(fn, 2)], { base64: true }),
      context: fcContext(),
      events: 2,
    }),
  },
  ...(
    [
      ['Json format: value a JSON object', { kafka: 'json' }],
      ['Binary format: value base64', { kafka: 'binary' }],
      ['batch of JSON texts, each a CloudEvent', { texts: true }],
      ['batch of JSON texts, Json format', { texts: true, kafka: 'json' }],
    ] as const
  ).map(([name, opts]) => ({
    name: `EventBridge kafka, ${name}`,
    invoke: async (fn: FunctionName) => ({
      event: eventBridgeEvent('kafka', [validEvent(fn, 1), validEvent(fn, 2)], { batch: true, ...opts }),
      context: fcContext(),
      events: 2,
    }),
  })),
  {
    name: 'EventBridge kafka, one JSON text in an array',
    invoke: async (fn) => ({
      event: eventBridgeEvent('kafka', [validEvent(fn, 1)], { batch: true, texts: true }),
      context: fcContext(),
      events: 1,
    }),
  },
  {
    name: 'MNS topic, JSON format',
    invoke: async (fn) => ({ event: mnsTopicJson(validEvent(fn, 1)), context: fcContext(), events: 1 }),
  },
  {
    name: 'MNS topic, STREAM format',
    invoke: async (fn) => ({ event: mnsTopicStream(validEvent(fn, 1)), context: fcContext(), events: 1 }),
  },
  {
    name: 'MNS topic, STREAM format with attributes',
    invoke: async (fn) => ({
      event: mnsTopicStream(validEvent(fn, 1), { source: 'saas' }),
      context: fcContext(),
      events: 1,
    }),
  },
  {
    name: 'FC async invocation',
    invoke: async (fn) => ({ event: fcAsync(validEvent(fn, 1)), context: fcContext(), events: 1 }),
  },
];

describe.each(FUNCTIONS)('%s takes every queue shape', (fn) => {
  it.each(SHAPES)('$name', async (shape) => {
    const handler = coldStart(fn, queueEnv(sandbox));
    const { event, context, events } = await shape.invoke(fn);
    const answer = (await handler(event, context)) as Record<string, unknown>;
    if ('Records' in (event as object)) expect(answer).toEqual({ batchItemFailures: [] });
    else expect(answer).toMatchObject({ ok: true, records: events, delivered: events, not_done: 0 });
    const calls = accepted(sandbox);
    expect(calls).toHaveLength(events);
    expect(calls.every((c) => c.method === METHOD[fn] && c.signature === 'valid')).toBe(true);
    expect(calls.map(plateOf).sort()).toEqual([1, 2].slice(0, events).map((n) => validEvent(fn, n).car_no));
    if (fn !== 'payinfo-sync') expect(calls.every((c) => c.params.action === fn)).toBe(true);
  });
});
