import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../dev/sandbox/index.js';
import { MemoryStore } from '../shared/idempotency/store.js';
import { coldStart, invokeHttp } from './support/bundles.js';
import { sentSqsMessages, startSqs } from './support/cloud-stand-ins.js';
import { apigwHttp, awsContext, fcContext, fcHttp } from './support/events.js';
import { sqsEvent, validEvent } from './support/queue-events.js';
import { acceptedPerPlate, queueEnv } from './support/queue-setup.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

describe('idempotency in memory (the default)', () => {
  it("a webhook sender's retry of a delivered event gets 200 with the original result, and TOP sees it once", async () => {
    const handler = coldStart('arrive', queueEnv(sandbox));
    const first = await invokeHttp(handler, apigwHttp(validEvent('arrive', 1)), awsContext());
    const again = await invokeHttp(handler, apigwHttp(validEvent('arrive', 1)), awsContext());
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(again.json).toEqual({ ...first.json, duplicate: true });
    expect(sandbox.calls).toHaveLength(1);
  });

  it('the same event written differently (ISO time instead of TOP time) is the same event', async () => {
    const handler = coldStart('arrive', queueEnv(sandbox));
    await invokeHttp(
      handler,
      fcHttp({ mall_id: 123, car_no: '浙A12345', start_time: '2023-11-15 14:00:00' }),
      fcContext(),
    );
    const again = await invokeHttp(
      handler,
      fcHttp({ mall_id: '123', car_no: ' 浙A12345 ', start_time: '2023-11-15T06:00:00Z' }),
      fcContext(),
    );
    expect(again.json.duplicate).toBe(true);
    expect(sandbox.calls).toHaveLength(1);
  });

  it('another event of the same car (another time) is sent', async () => {
    const handler = coldStart('pay', queueEnv(sandbox));
    await invokeHttp(handler, apigwHttp(validEvent('pay', 1)), awsContext());
    const other = await invokeHttp(
      handler,
      apigwHttp({ ...validEvent('pay', 1), pay_time: '2023-11-15 15:00:00' }),
      awsContext(),
    );
    expect(other.json.duplicate).toBeUndefined();
    expect(sandbox.calls).toHaveLength(2);
  });

  it('a refused event is not remembered: sending it again after the cause is fixed reaches TOP', async () => {
    sandbox.addFault({ kind: 'isv', count: 1 });
    const handler = coldStart('payinfo-sync', queueEnv(sandbox));
    const refused = await invokeHttp(handler, apigwHttp(validEvent('payinfo-sync', 1)), awsContext());
    const retried = await invokeHttp(handler, apigwHttp(validEvent('payinfo-sync', 1)), awsContext());
    expect([refused.statusCode, retried.statusCode]).toEqual([502, 200]);
    expect(retried.json.duplicate).toBeUndefined();
  });

  it('an event that came by HTTP and again by queue is sent once', async () => {
    const handler = coldStart('leave', queueEnv(sandbox));
    await invokeHttp(handler, apigwHttp(validEvent('leave', 1)), awsContext());
    expect(await handler(await sqsEvent([{ body: validEvent('leave', 1) }]), awsContext())).toEqual({
      batchItemFailures: [],
    });
    expect([...acceptedPerPlate(sandbox).values()]).toEqual([1]);
  });

  it('two copies at once: one is sent, the other is told to retry (503), never both sent', async () => {
    sandbox.addFault({ kind: 'slow', delayMs: 200 });
    const handler = coldStart('arrive', queueEnv(sandbox));
    const [a, b] = await Promise.all([
      invokeHttp(handler, apigwHttp(validEvent('arrive', 1)), awsContext()),
      invokeHttp(handler, apigwHttp(validEvent('arrive', 1)), awsContext()),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 503]);
    const busy = a.statusCode === 503 ? a : b;
    expect(busy.json.error.code).toBe('in_progress');
    expect(busy.headers['retry-after']).toBe('5');
    expect(sandbox.calls).toHaveLength(1);
  });
});

describe('a copy that differs from the delivered one (same key, other values)', () => {
  it('HTTP: 409 idempotency_conflict naming the differing fields, never their values; nothing is sent', async () => {
    const handler = coldStart('pay', queueEnv(sandbox));
    await invokeHttp(handler, apigwHttp(validEvent('pay', 1)), awsContext());
    const changed = { ...validEvent('pay', 1), park_duration: 4242, car_type: 'Gate B' };
    const copy = await invokeHttp(handler, apigwHttp(changed), awsContext());
    expect(copy.statusCode).toBe(409);
    expect(copy.json.error).toMatchObject({ code: 'idempotency_conflict', fields: ['car_type', 'park_duration'] });
    expect(copy.json.error.message).toMatch(/car_type, park_duration.*new event/);
    expect(copy.body).not.toMatch(/4242|Gate B/);
    expect(sandbox.calls).toHaveLength(1);
  });

  it('a queue record is a permanent failure: it goes to the dead letters with that reason', async () => {
    const sqs = await startSqs();
    try {
      const dlq = `${sqs.origin}/123456789012/parkflow-arrive-dlq`;
      const handler = coldStart('payinfo-sync', queueEnv(sandbox, { DEAD_LETTER_SQS_URL: dlq }));
      const first = validEvent('payinfo-sync', 1);
      const changed = { ...first, pay_fee: 999 };
      expect(await handler(await sqsEvent([{ body: first }]), awsContext())).toEqual({ batchItemFailures: [] });
      const event = await sqsEvent([{ body: changed }]);
      expect(await handler(event, awsContext())).toEqual({ batchItemFailures: [] });
      const [letter] = sentSqsMessages(sqs).map((m) => JSON.parse(m.MessageBody));
      expect(letter).toMatchObject({
        outcome: 'conflict',
        code: 'idempotency_conflict',
        record_id: event.Records[0]?.messageId,
      });
      // The nested field is named by its path within the request param.
      expect(letter.reason).toContain('pay_order_info_dto.pay_fee');
      expect(sandbox.calls).toHaveLength(1);
    } finally {
      await sqs.close();
    }
  });

  it('copies equal once normalised (one time in two formats, a nested one too) are still duplicates', async () => {
    const handler = coldStart('payinfo-sync', queueEnv(sandbox));
    const first = { ...validEvent('payinfo-sync', 1), pay_time: '2023-11-15 14:00:00' };
    await invokeHttp(handler, apigwHttp(first), awsContext());
    const again = await invokeHttp(
      handler,
      apigwHttp({ ...first, pay_time: '2023-11-15T06:00:00Z', pay_fee: '1000' }),
      awsContext(),
    );
    expect(again.statusCode).toBe(200);
    expect(again.json.duplicate).toBe(true);
    expect(sandbox.calls).toHaveLength(1);
  });
});

describe('MemoryStore', () => {
  const delivered = { kind: 'delivered' as const, attempts: 1, response: {} };

  it('holds at most its bound, forgetting the oldest deliveries first', async () => {
    const store = new MemoryStore(100);
    for (let i = 0; i < 1_000; i++) {
      expect((await store.claim(`k${i}`, 60_000, 1_000)).claimed).toBe(true);
      await store.complete(`k${i}`, { outcome: delivered }, 60_000, 1_000);
    }
    // Newest first: a remembered key is only read, so the check itself evicts nothing it has yet to see.
    let remembered = 0;
    while (!(await store.claim(`k${999 - remembered}`, 60_000, 1_000)).claimed) remembered++;
    // A tenth goes at once when full: between 91 and 100 of the newest remain.
    expect(remembered).toBeGreaterThanOrEqual(91);
    expect(remembered).toBeLessThanOrEqual(100);
    expect((await store.claim('k0', 60_000, 1_000)).claimed).toBe(true);
  });
});
