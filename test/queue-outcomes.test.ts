import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../dev/sandbox/index.js';
import { coldStart } from './support/bundles.js';
import { type StandIn, sentSqsMessages, startMns, startSqs } from './support/cloud-stand-ins.js';
import { awsContext, fcContext } from './support/events.js';
import { eventBridgeEvent, INVALID_EVENT, sqsEvent, validEvent } from './support/queue-events.js';
import { accepted, acceptedPerPlate, plateOf, queueEnv } from './support/queue-setup.js';

let sandbox: Sandbox;
let sqs: StandIn;
let mns: StandIn;
beforeAll(async () => {
  [sandbox, sqs, mns] = await Promise.all([startSandbox(), startSqs(), startMns()]);
});
afterAll(() => Promise.all([sandbox.close(), sqs.close(), mns.close()]));
beforeEach(() => {
  sandbox.reset();
  sqs.requests.length = 0;
  mns.requests.length = 0;
  sqs.failWith(undefined);
});

const DLQ_PATH = '/123456789012/parkflow-arrive-dlq';

/**
 * [isv-refused, isp-then-ok, valid, invalid], sent one at a time (TOP_CONCURRENCY=1) so that the
 * gateway's faults, taken in order, land on the first two records.
 */
const MIXED = [validEvent('arrive', 1), validEvent('arrive', 2), validEvent('arrive', 3), INVALID_EVENT];
function mixedFaults() {
  sandbox.addFault({ kind: 'isv', subCode: 'isv.invalid-parameter', count: 1 });
  sandbox.addFault({ kind: 'isp', count: 1 });
}
const plate = (n: number) => validEvent('arrive', n).car_no as string;

describe('a batch of valid, invalid, isv-refused and isp-then-ok records', () => {
  it('SQS without a dead-letter queue: only the two permanent failures come back, for the redrive policy', async () => {
    mixedFaults();
    const handler = coldStart('arrive', queueEnv(sandbox, { TOP_CONCURRENCY: '1' }));
    const event = await sqsEvent(MIXED.map((body) => ({ body })));
    const answer = await handler(event, awsContext());
    const ids = event.Records.map((r) => r.messageId);
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: ids[0] }, { itemIdentifier: ids[3] }] });
    expect(sandbox.calls.map((c) => c.fault ?? 'ok')).toEqual(['isv', 'isp', 'ok', 'ok']);
    expect([...acceptedPerPlate(sandbox)]).toEqual([
      [plate(2), 1],
      [plate(3), 1],
    ]);
  });

  it('SQS with DEAD_LETTER_SQS_URL: permanent failures are dead-lettered with the reason, and nothing comes back', async () => {
    mixedFaults();
    const dlq = `${sqs.origin}${DLQ_PATH}`;
    const handler = coldStart('arrive', queueEnv(sandbox, { TOP_CONCURRENCY: '1', DEAD_LETTER_SQS_URL: dlq }));
    const event = await sqsEvent(MIXED.map((body) => ({ body })));
    expect(await handler(event, awsContext())).toEqual({ batchItemFailures: [] });
    const letters = sentSqsMessages(sqs);
    expect(letters.map((m) => m.QueueUrl)).toEqual([dlq, dlq]);
    const bodies = letters.map((m) => JSON.parse(m.MessageBody)).sort((a, b) => a.outcome.localeCompare(b.outcome));
    expect(bodies).toMatchObject([
      {
        parkflow_dead_letter: 1,
        function: 'arrive',
        trigger: 'sqs',
        outcome: 'invalid',
        record_id: event.Records[3]?.messageId,
      },
      {
        outcome: 'rejected',
        code: 'isv.invalid-parameter',
        record_id: event.Records[0]?.messageId,
        body: JSON.stringify(MIXED[0]),
      },
    ]);
    expect(bodies[0].reason).toMatch(/problems?; nothing was sent/);
  });

  it('SQS: a dead-letter queue that cannot be reached leaves the message failed, not lost', async () => {
    sqs.failWith(500);
    const handler = coldStart('arrive', queueEnv(sandbox, { DEAD_LETTER_SQS_URL: `${sqs.origin}${DLQ_PATH}` }));
    const event = await sqsEvent([{ body: INVALID_EVENT }, { body: validEvent('arrive', 1) }]);
    expect(await handler(event, awsContext())).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId }],
    });
  });

  it('FC EventBridge batch with DEAD_LETTER_MNS_URL: permanent failures go to MNS, signed, and the invocation succeeds', async () => {
    mixedFaults();
    const handler = coldStart(
      'arrive',
      queueEnv(sandbox, { TOP_CONCURRENCY: '1', DEAD_LETTER_MNS_URL: `${mns.origin}/queues/parkflow-dlq` }),
    );
    const context = fcContext();
    const answer = await handler(eventBridgeEvent('mns', MIXED, { batch: true }), context);
    expect(answer).toMatchObject({ ok: true, records: 4, delivered: 2, dead_lettered: 2, not_done: 0 });
    expect(mns.requests).toHaveLength(2);
    for (const req of mns.requests) {
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/queues/parkflow-dlq/messages');
      const h = req.headers;
      expect(h['x-mns-security-token']).toBe(context.credentials.securityToken);
      const toSign = `POST\n${h['content-md5']}\n${h['content-type']}\n${h.date}\nx-mns-security-token:${h['x-mns-security-token']}\nx-mns-version:2015-06-06\n${req.path}`;
      const signature = createHmac('sha1', context.credentials.accessKeySecret).update(toSign).digest('base64');
      expect(h.authorization).toBe(`MNS ${context.credentials.accessKeyId}:${signature}`);
      const body = /<MessageBody>([^<]*)<\/MessageBody>/.exec(req.body)?.[1] ?? '';
      expect(JSON.parse(Buffer.from(body, 'base64').toString('utf8'))).toMatchObject({
        function: 'arrive',
        trigger: 'eventbridge-mns',
      });
    }
  });

  it.each([
    ['Text', {}],
    ['Json, as JSON texts', { kafka: 'json', texts: true }],
    ['Binary', { kafka: 'binary' }],
  ] as const)(
    'FC EventBridge Kafka batch (%s) without a dead-letter destination fails the invocation so the trigger retries it',
    async (_, opts) => {
      const handler = coldStart('arrive', queueEnv(sandbox));
      const event = eventBridgeEvent('kafka', [validEvent('arrive', 1), INVALID_EVENT], { batch: true, ...opts });
      await expect(handler(event, fcContext())).rejects.toThrow(/1 of 2 records are not done/);
      // The retry does not send the delivered one again.
      await expect(handler(event, fcContext())).rejects.toThrow(/1 of 2 records are not done/);
      expect([...acceptedPerPlate(sandbox)]).toEqual([[plate(1), 1]]);
    },
  );
});

describe('redelivery after a partial failure', () => {
  it('FC retries the whole batch: only the record that failed is sent again', async () => {
    sandbox.addFault({ kind: 'isp', count: 1 });
    const handler = coldStart('arrive', queueEnv(sandbox, { TOP_MAX_ATTEMPTS: '1' }));
    const event = eventBridgeEvent(
      'rocketmq',
      [1, 2, 3].map((n) => validEvent('arrive', n)),
      { batch: true },
    );
    await expect(handler(event, fcContext())).rejects.toThrow(/1 of 3 records are not done/);
    expect(await handler(event, fcContext())).toMatchObject({ ok: true, delivered: 3, duplicates: 2 });
    expect(sandbox.calls).toHaveLength(4);
    expect([...acceptedPerPlate(sandbox).values()]).toEqual([1, 1, 1]);
  });

  it('SQS brings back the failed message, and a whole batch seen again sends nothing', async () => {
    sandbox.addFault({ kind: 'isp', count: 1 });
    const handler = coldStart('arrive', queueEnv(sandbox, { TOP_MAX_ATTEMPTS: '1' }));
    const event = await sqsEvent([1, 2, 3].map((n) => ({ body: validEvent('arrive', n) })));
    const first = (await handler(event, awsContext())) as { batchItemFailures: { itemIdentifier: string }[] };
    expect(first.batchItemFailures).toHaveLength(1);
    const failed = event.Records.filter((r) => r.messageId === first.batchItemFailures[0]?.itemIdentifier);
    expect(await handler({ Records: failed }, awsContext())).toEqual({ batchItemFailures: [] });
    // A visibility timeout that ran out brings the whole batch back: every record is answered from the store.
    expect(await handler(event, awsContext())).toEqual({ batchItemFailures: [] });
    expect(sandbox.calls).toHaveLength(4);
    expect([...acceptedPerPlate(sandbox).values()]).toEqual([1, 1, 1]);
  });
});

describe('SQS FIFO', () => {
  it('fails the rest of a message group after a failure, and the other groups go on', async () => {
    const handler = coldStart('arrive', queueEnv(sandbox, { TOP_CONCURRENCY: '1', TOP_MAX_ATTEMPTS: '1' }));
    // The second call the gateway receives (a2, as group A runs first and in order) meets a platform fault.
    let seen = 0;
    const stop = sandbox.onCall(() => {
      if (++seen === 1) sandbox.addFault({ kind: 'isp', count: 1 });
    });
    const event = await sqsEvent(
      [
        { body: validEvent('arrive', 1), group: 'A' },
        { body: validEvent('arrive', 2), group: 'A' },
        { body: validEvent('arrive', 3), group: 'A' },
        { body: validEvent('arrive', 4), group: 'B' },
        { body: validEvent('arrive', 5), group: 'B' },
      ],
      { fifo: true },
    );
    const ids = event.Records.map((r) => r.messageId);
    const answer = await handler(event, awsContext());
    stop();
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: ids[1] }, { itemIdentifier: ids[2] }] });
    // a3 was never sent: it must not overtake a2.
    expect(sandbox.calls.map(plateOf)).toEqual([plate(1), plate(2), plate(4), plate(5)]);
    // The redelivered rest of group A goes through in order.
    const rest = { Records: event.Records.slice(1, 3) };
    expect(await handler(rest, awsContext())).toEqual({ batchItemFailures: [] });
    expect(sandbox.calls.slice(4).map(plateOf)).toEqual([plate(2), plate(3)]);
    expect([...acceptedPerPlate(sandbox).values()]).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('a burst: 500 records in one batch', () => {
  it('all are delivered once, never more than 16 in flight toward TOP', async () => {
    sandbox.addFault({ kind: 'slow', delayMs: 50 });
    const handler = coldStart('arrive', queueEnv(sandbox));
    const event = await sqsEvent(Array.from({ length: 500 }, (_, n) => ({ body: validEvent('arrive', n) })));
    expect(await handler(event, awsContext(60_000))).toEqual({ batchItemFailures: [] });
    expect(sandbox.calls).toHaveLength(500);
    expect(acceptedPerPlate(sandbox).size).toBe(500);
    const most = sandbox.peakInFlight();
    expect(most).toBeLessThanOrEqual(16);
    expect(most).toBeGreaterThan(8);
    expect(accepted(sandbox)).toHaveLength(500);
  });
});
