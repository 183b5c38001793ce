import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../dev/sandbox/index.js';
import { coldStart, invokeFc2Http, invokeHttp } from './support/bundles.js';
import { type StandIn, sentSqsMessages, startFc, startSqs } from './support/cloud-stand-ins.js';
import { apigwRest, awsContext, fc2Context, fc2Request, fcContext, fcHttp } from './support/events.js';
import { type Fc3Api, startFc3Api } from './support/fc3-api.js';
import { startProxy } from './support/proxy.js';
import { INVALID_EVENT, sqsEvent, validEvent } from './support/queue-events.js';
import { accepted, queueEnv } from './support/queue-setup.js';

let sandbox: Sandbox;
let sqs: StandIn;
let fc: StandIn;
beforeAll(async () => {
  [sandbox, sqs, fc] = await Promise.all([startSandbox(), startSqs(), startFc()]);
});
afterAll(() => Promise.all([sandbox.close(), sqs.close(), fc.close()]));
beforeEach(() => {
  sandbox.reset();
  sqs.requests.length = 0;
  fc.requests.length = 0;
  sqs.failWith(undefined);
});

describe('DELIVERY_MODE=queue on AWS', () => {
  const queueUrl = () => `${sqs.origin}/123456789012/parkflow-arrive`;
  const env = () => queueEnv(sandbox, { DELIVERY_MODE: 'queue', DELIVERY_QUEUE_URL: queueUrl() });

  it('answers 202 once the event is on the queue; the queue side sends it', async () => {
    const handler = coldStart('arrive', env());
    const body = JSON.stringify(validEvent('arrive', 1));
    const answer = await invokeHttp(handler, apigwRest(body), awsContext());
    expect(answer.statusCode).toBe(202);
    expect(answer.json).toMatchObject({ ok: true, queued: true, message_id: expect.any(String) });
    expect(sandbox.calls).toHaveLength(0);
    const [sent] = sentSqsMessages(sqs);
    expect(sent).toMatchObject({ QueueUrl: queueUrl(), MessageBody: body });
    // The function's own SQS trigger then delivers it.
    expect(await handler(await sqsEvent([{ body: sent?.MessageBody ?? '' }]), awsContext())).toEqual({
      batchItemFailures: [],
    });
    expect(accepted(sandbox)).toHaveLength(1);
  });

  it('validates before the 202: an invalid event gets its 400 and is not queued', async () => {
    const handler = coldStart('arrive', env());
    const answer = await invokeHttp(handler, apigwRest(INVALID_EVENT), awsContext());
    expect(answer.statusCode).toBe(400);
    expect(sqs.requests).toHaveLength(0);
  });

  it('a queue that cannot be reached is a 503: the sender retries', async () => {
    sqs.failWith(400);
    const handler = coldStart('arrive', env());
    const answer = await invokeHttp(handler, apigwRest(validEvent('arrive', 1)), awsContext());
    expect(answer.statusCode).toBe(503);
    expect(answer.json.error.code).toBe('queue_unavailable');
    expect(sandbox.calls).toHaveLength(0);
  });

  it('without DELIVERY_QUEUE_URL the answer names the variable', async () => {
    const handler = coldStart('arrive', queueEnv(sandbox, { DELIVERY_MODE: 'queue' }));
    const answer = await invokeHttp(handler, apigwRest(validEvent('arrive', 1)), awsContext());
    expect(answer.statusCode).toBe(500);
    expect(answer.json.error.message).toMatch(/DELIVERY_QUEUE_URL/);
  });
});

describe('DELIVERY_MODE=queue on FC 2.0', () => {
  it('answers 202 once FC has taken an async invocation of the function itself, which then sends it', async () => {
    const handler = coldStart(
      'payinfo-sync',
      queueEnv(sandbox, { DELIVERY_MODE: 'queue', DELIVERY_FC_ENDPOINT: fc.origin }),
    );
    const body = JSON.stringify(validEvent('payinfo-sync', 1));
    const context = { ...fc2Context(), function: { ...fc2Context().function, name: 'payinfo-sync' } };
    const answer = await invokeHttp(handler, fcHttp(body), context);
    expect(answer.statusCode).toBe(202);
    expect(sandbox.calls).toHaveLength(0);
    expect(fc.requests).toHaveLength(1);
    const [req] = fc.requests;
    expect(req).toMatchObject({
      method: 'POST',
      path: '/2016-08-15/services/parkflow.LATEST/functions/payinfo-sync/invocations',
      body,
    });
    expect(req?.headers).toMatchObject({
      'x-fc-invocation-type': 'Async',
      'x-fc-account-id': context.accountId,
      'x-fc-security-token': context.credentials.securityToken,
      authorization: expect.stringMatching(/^FC STS\.test:/),
    });
    // FC then runs the function on the event body itself.
    expect(await handler(Buffer.from(req?.body ?? ''), context)).toMatchObject({ ok: true, delivered: 1 });
    expect(accepted(sandbox)).toHaveLength(1);
  });

  it('from its own HTTP call, (request, response, context), answered through response', async () => {
    const handler = coldStart('arrive', queueEnv(sandbox, { DELIVERY_MODE: 'queue', DELIVERY_FC_ENDPOINT: fc.origin }));
    const body = JSON.stringify(validEvent('arrive', 2));
    const answer = await invokeFc2Http(handler, fc2Request(body), fc2Context());
    expect(answer.statusCode).toBe(202);
    expect(fc.requests.map((r) => [r.path, r.body])).toEqual([
      ['/2016-08-15/services/parkflow.LATEST/functions/arrive/invocations', body],
    ]);
    expect(sandbox.calls).toHaveLength(0);
  });
});

describe('DELIVERY_MODE=queue on FC 3.0: async InvokeFunction (2023-03-30)', () => {
  let api: Fc3Api;
  const context = () => ({ ...fcContext(), function: { ...fcContext().function, name: 'parkflow-arrive' } });
  beforeAll(async () => {
    const { credentials } = fcContext();
    api = await startFc3Api(credentials);
    api.functions.set('parkflow-arrive', { functionName: 'parkflow-arrive' });
  });
  afterAll(() => api.close());
  beforeEach(() => {
    api.requests.length = 0;
    api.invocations.length = 0;
  });
  const env = (endpoint = api.url) => queueEnv(sandbox, { DELIVERY_MODE: 'queue', DELIVERY_FC_ENDPOINT: endpoint });

  it('the context has no service name: the function invokes itself by name, at its qualifier, signed ACS3', async () => {
    expect(context().service).not.toHaveProperty('name');
    const handler = coldStart('arrive', env());
    const body = JSON.stringify(validEvent('arrive', 1));
    const answer = await invokeHttp(handler, fcHttp(body), context());
    expect(answer.statusCode).toBe(202);
    expect(answer.json).toMatchObject({ ok: true, queued: true, message_id: 'req-1' });
    expect(api.rejected).toEqual([]);
    expect(api.requests).toMatchObject([
      {
        method: 'POST',
        path: '/2023-03-30/functions/parkflow-arrive/invocations',
        query: { qualifier: 'LATEST' },
        action: 'InvokeFunction',
        headers: { 'x-acs-version': '2023-03-30', 'x-fc-invocation-type': 'Async' },
      },
    ]);
    expect(api.invocations).toEqual([{ function: 'parkflow-arrive', qualifier: 'LATEST', event: body }]);
    expect(sandbox.calls).toHaveLength(0);
    // FC then runs the function on the event body itself.
    expect(await handler(Buffer.from(body), context())).toMatchObject({ ok: true, delivered: 1 });
    expect(accepted(sandbox)).toHaveLength(1);
  });

  it('an API that refuses the call (here: another function name) is a 503, and nothing is sent', async () => {
    const handler = coldStart('arrive', env());
    const answer = await invokeHttp(handler, fcHttp(validEvent('arrive', 3)), fcContext());
    expect(answer.statusCode).toBe(503);
    expect(answer.json.error.code).toBe('queue_unavailable');
    expect(api.requests[0]?.path).toBe('/2023-03-30/functions/arrive/invocations');
    expect(api.invocations).toHaveLength(0);
    expect(sandbox.calls).toHaveLength(0);
  });

  it('an API slower than the deadline is given up in time: 503, the sender retries', async () => {
    const proxy = await startProxy({ port: Number(new URL(api.url).port) });
    proxy.stall();
    try {
      const handler = coldStart('arrive', env(`http://127.0.0.1:${proxy.port}`));
      const started = Date.now();
      const answer = await invokeHttp(handler, fcHttp(validEvent('arrive', 4)), {
        ...context(),
        function: { ...context().function, timeout: 2 },
      });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(answer.statusCode).toBe(503);
      expect(answer.json.error.code).toBe('queue_unavailable');
    } finally {
      await proxy.close();
    }
  });
});
