// The built bundles, invoked as FC 2.0 invokes a function behind an HTTP trigger:
// handler(request, response, context), the body a readable stream, the answer sent through `response`.
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../dev/sandbox/index.js';
import { sample } from '../dev/stack/samples.js';
import { backflow } from '../shared/apis/backflow.js';
import { MAX_BODY_BYTES } from '../shared/body.js';
import { createHandler } from '../shared/handler.js';
import { coldStart, type Handler, invokeFc2Http } from './support/bundles.js';
import { asFc2Request, fc2Context, fc2Request } from './support/events.js';
import { envFor, gateway } from './support/gateway.js';
import { SECRET, signed, WEBHOOK_ENV } from './support/webhook.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await gateway();
});
afterAll(async () => {
  coldStart('arrive', WEBHOOK_ENV);
  await sandbox.close();
});
afterEach(() => sandbox.reset());

const start = (name = 'arrive', extra: Record<string, string | undefined> = {}) =>
  coldStart(name, envFor(sandbox, { ...WEBHOOK_ENV, ...extra }));

describe('FC 2.0 HTTP functions: handler(request, response, context)', () => {
  it('reads the body from the stream, delivers it, and answers 200 through response', async () => {
    for (const name of ['arrive', 'payinfo-sync'] as const) {
      const res = await invokeFc2Http(start(name), fc2Request(sample(name)), fc2Context());
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.json).toMatchObject({ ok: true, request_id: expect.any(String), attempts: 1 });
      expect(res.sends).toBe(1);
    }
    expect(sandbox.calls.map((c) => c.status)).toEqual([200, 200]);
  });

  it('takes a body in many chunks, a character split between two of them', async () => {
    const bytes = Buffer.from(JSON.stringify(sample('arrive')));
    const cut = bytes.indexOf(Buffer.from('浙')) + 1;
    const chunks = [bytes.subarray(0, cut), bytes.subarray(cut, cut + 1), bytes.subarray(cut + 1)];
    const res = await invokeFc2Http(start(), fc2Request('', { chunks }), fc2Context());
    expect(res.statusCode).toBe(200);
    expect(sandbox.calls[0]?.params.car_no).toBe(sample('arrive').car_no);
  });

  it('answers 400 for an invalid event, and sends nothing', async () => {
    const res = await invokeFc2Http(start(), fc2Request({ mall_id: 'x' }), fc2Context());
    expect(res.statusCode).toBe(400);
    expect(res.json.error.code).toBe('invalid_input');
    expect(sandbox.calls).toHaveLength(0);
  });

  it('refuses bytes that are not UTF-8, as every HTTP trigger does', async () => {
    const res = await invokeFc2Http(
      start(),
      fc2Request('', { chunks: [Buffer.from([0x7b, 0xff, 0x7d])] }),
      fc2Context(),
    );
    expect(res.statusCode).toBe(400);
    expect(sandbox.calls).toHaveLength(0);
  });

  it('with webhook secrets: 401 unsigned, 200 signed over the raw bytes', async () => {
    const handler = start('arrive', { WEBHOOK_SECRETS: SECRET });
    const body = JSON.stringify(sample('arrive'));
    const unsigned = await invokeFc2Http(handler, fc2Request(body), fc2Context());
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json.error.code).toBe('unauthorized');
    const ok = await invokeFc2Http(handler, fc2Request(body, { headers: signed(body) }), fc2Context());
    expect(ok.statusCode).toBe(200);
    expect(sandbox.calls).toHaveLength(1);
  });

  it('answers 405 with Allow: POST to a GET', async () => {
    const res = await invokeFc2Http(start(), fc2Request('', { method: 'GET' }), fc2Context());
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(sandbox.calls).toHaveLength(0);
  });

  it('answers 503 with Retry-After when TOP bans for a while', async () => {
    sandbox.addFault({ kind: 'ban', seconds: 42 });
    const res = await invokeFc2Http(start(), fc2Request(sample('arrive')), fc2Context());
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('42');
  });

  it('stops reading a body past 64 KB and answers 400, as for any HTTP trigger', async () => {
    let pulled = 0;
    // An endless body: the function must stop reading it, not wait for its end.
    const endless = new Readable({
      read() {
        pulled += 16 * 1024;
        this.push(Buffer.alloc(16 * 1024, 0x20));
      },
    });
    const res = await invokeFc2Http(start(), asFc2Request(endless), fc2Context());
    expect(res.statusCode).toBe(400);
    expect(res.json.error.message).toBe('The body is larger than 64 KB.');
    expect(pulled).toBeLessThan(MAX_BODY_BYTES * 2);
    expect(sandbox.calls).toHaveLength(0);
  });

  it('answers 400 when the request stream fails, and sends nothing', async () => {
    const res = await invokeFc2Http(
      start(),
      fc2Request('', { chunks: [Buffer.from('{"mall')], fail: true }),
      fc2Context(),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json.error.message).toMatch(/could not be read/);
    expect(sandbox.calls).toHaveLength(0);
  });

  it('answers a stream that never ends by the invocation deadline', async () => {
    const started = Date.now();
    const res = await invokeFc2Http(
      start(),
      fc2Request('', { chunks: [Buffer.from('{')], stall: true }),
      fc2Context(2),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(res.statusCode).toBe(400);
    expect(res.json.error.message).toMatch(/did not arrive before the invocation deadline/);
    expect(sandbox.calls).toHaveLength(0);
  });

  it('takes a body the runtime has already read, as `request.body`', async () => {
    const request = Object.assign(fc2Request('', { stall: true }), {
      body: Buffer.from(JSON.stringify(sample('arrive'))),
    });
    const res = await invokeFc2Http(start(), request, fc2Context());
    expect(res.statusCode).toBe(200);
  });

  it('answers 500 through response when processing fails unexpectedly, rather than leave the caller waiting', async () => {
    start(); // the settings, in the environment
    const broken = createHandler({
      ...backflow('arrive'),
      identity: () => {
        throw new Error('identity failed');
      },
    });
    const res = await invokeFc2Http(broken as Handler, fc2Request(sample('arrive')), fc2Context());
    expect(res.statusCode).toBe(500);
    expect(res.json.error).toEqual({ code: 'internal_error', message: 'The event could not be processed.' });
    expect(res.sends).toBe(1);
    expect(sandbox.calls).toHaveLength(0);
  });
});
