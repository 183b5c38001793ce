// The built bundles, invoked with real AWS and FC HTTP events, reporting to the sandbox gateway over HTTP.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../dev/sandbox/index.js';
import { sample } from '../dev/stack/samples.js';
import { FUNCTION_NAMES } from '../shared/registry.js';
import { coldStart, DIST, type Handler, invokeHttp } from './support/bundles.js';
import { apigwHttp, apigwRest, awsContext, fcContext, fcHttp } from './support/events.js';
import { envFor, gateway } from './support/gateway.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await gateway();
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.reset());

const start = (name: string, extra: Record<string, string | undefined> = {}): Handler =>
  coldStart(name, envFor(sandbox, extra));

const now = '2026-11-22 10:00:00';
const SAMPLES: Record<string, Record<string, unknown>> = {
  arrive: { mall_id: 123, car_no: '浙A12345', start_time: now, car_type: '宝马 x5 2018', mobile: '15988855789' },
  leave: { mall_id: 123, car_no: '浙AD12345', start_time: '2026-11-22 08:00:00', end_time: now },
  pay: { mall_id: '123', car_no: '浙A.66666', pay_time: now, park_duration: 120, extend: { key: 'value' } },
  'payinfo-sync': {
    order_id: 'BK212132334343',
    park_id: 'p123456',
    car_no: '浙A888888',
    pay_time: now,
    order_type: 1,
    pay_fee: 1000,
    pay_method: 'WX',
  },
};

describe('each function reaches TOP correctly signed', () => {
  for (const name of FUNCTION_NAMES) {
    for (const method of ['md5', 'hmac', 'hmac-sha256']) {
      it(`${name} with ${method}`, async () => {
        const handler = start(name, { TOP_SIGN_METHOD: method });
        const res = await invokeHttp(handler, apigwHttp(sample(name)), awsContext());
        expect(res.statusCode).toBe(200);
        expect(sandbox.calls).toHaveLength(1);
        const call = sandbox.calls[0];
        expect(call).toMatchObject({ signature: 'valid', signMethod: method, status: 200 });
        expect(res.json.ok).toBe(true);
        expect(res.json.request_id).toEqual(expect.any(String));
        expect(JSON.stringify(call?.response)).toContain(`"request_id":"${res.json.request_id}"`);
      });
    }
  }

  it('sends the backflow fields the way TOP reads them', async () => {
    await invokeHttp(start('pay'), apigwHttp(SAMPLES.pay ?? {}), awsContext());
    expect(sandbox.calls[0]?.params).toMatchObject({
      method: 'tmall.popupstore.park.backflow',
      action: 'pay',
      mall_id: '123',
      car_no: '浙A.66666',
      pay_time: now,
      park_duration: '120',
      extend: '{"key":"value"}',
      format: 'json',
      v: '2.0',
    });
  });

  it('sends the pay order as one pay_order_info_dto JSON field', async () => {
    await invokeHttp(start('payinfo-sync'), apigwHttp(SAMPLES['payinfo-sync'] ?? {}), awsContext());
    const call = sandbox.calls[0];
    expect(call?.params.method).toBe('taobao.taojie.parking.order.payinfo.sync');
    expect(JSON.parse(call?.params.pay_order_info_dto ?? '')).toEqual(SAMPLES['payinfo-sync']);
  });
});

describe('every HTTP trigger shape', () => {
  const body = SAMPLES.arrive ?? {};
  const shapes: [string, () => unknown, unknown][] = [
    ['API Gateway REST (v1)', () => apigwRest(body), awsContext()],
    ['API Gateway REST (v1), base64 body', () => apigwRest(body, { base64: true }), awsContext()],
    ['HTTP API / Function URL (v2)', () => apigwHttp(body), awsContext()],
    ['HTTP API (v2), base64 body', () => apigwHttp(body, { base64: true }), awsContext()],
    ['FC 3.0 HTTP trigger (a Buffer)', () => fcHttp(body), fcContext()],
    ['FC 3.0 HTTP trigger, base64 body', () => fcHttp(body, { base64: true }), fcContext()],
  ];
  for (const [label, event, context] of shapes) {
    it(label, async () => {
      const res = await invokeHttp(start('arrive'), event(), context);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(sandbox.calls.map((c) => c.params.car_no)).toEqual(['浙A12345']);
    });
  }

  it('answers 405 to anything but POST, and sends nothing', async () => {
    const res = await invokeHttp(start('arrive'), apigwHttp(body, { method: 'GET' }), awsContext());
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(sandbox.calls).toHaveLength(0);
  });
});

describe('bad input gets a 400 and reaches nothing', () => {
  const cases: [string, string, unknown, RegExp][] = [
    ['an empty body', 'arrive', '', /body is empty/],
    ['malformed JSON', 'arrive', '{"mall_id": 123,', /not valid JSON/],
    ['a JSON array', 'arrive', '[1,2]', /must be a JSON object/],
    ['a JSON string', 'arrive', '"hello"', /must be a JSON object/],
    [
      'an oversized body',
      'arrive',
      JSON.stringify({ ...SAMPLES.arrive, car_type: 'x'.repeat(70_000) }),
      /larger than 64 KB/,
    ],
    ['arrive without start_time', 'arrive', { mall_id: 123, car_no: '浙A12345' }, /problem/],
    ['leave without end_time', 'leave', { mall_id: 123, car_no: '浙A12345' }, /problem/],
    ['pay without pay_time and park_duration', 'pay', { mall_id: 123, car_no: '浙A12345' }, /2 problems/],
    ['an impossible date', 'arrive', { ...SAMPLES.arrive, start_time: '2019-02-30 00:00:00' }, /problem/],
    ['an unknown field', 'arrive', { ...SAMPLES.arrive, carNo: 'x' }, /problem/],
    ['a payinfo order_type of 3', 'payinfo-sync', { ...SAMPLES['payinfo-sync'], order_type: 3 }, /problem/],
  ];
  for (const [label, name, body, message] of cases) {
    it(label, async () => {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const res = await invokeHttp(start(name), apigwHttp(raw), awsContext());
      expect(res.statusCode).toBe(400);
      expect(res.json.ok).toBe(false);
      expect(res.json.error.code).toBe('invalid_input');
      expect(res.json.error.message).toMatch(message);
      expect(sandbox.calls).toHaveLength(0);
    });
  }

  it('lists each problem by field path', async () => {
    const res = await invokeHttp(start('pay'), apigwHttp({ mall_id: 0, car_no: '浙A12345', foo: 1 }), awsContext());
    expect(res.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(
      ['foo', 'mall_id', 'park_duration', 'pay_time'].sort(),
    );
  });
});

describe('TOP faults', () => {
  it('retries isp.* twice and succeeds on the third request', async () => {
    sandbox.addFault({ kind: 'isp', count: 2 });
    const res = await invokeHttp(start('arrive'), apigwHttp(SAMPLES.arrive ?? {}), awsContext());
    expect(res.statusCode).toBe(200);
    expect(res.json.attempts).toBe(3);
    expect(sandbox.calls).toHaveLength(3);
  });

  it('does not retry isv.invalid-parameter: 502 after one request', async () => {
    sandbox.addFault({ kind: 'isv', subCode: 'isv.invalid-parameter' });
    const res = await invokeHttp(start('arrive'), apigwHttp(SAMPLES.arrive ?? {}), awsContext());
    expect(res.statusCode).toBe(502);
    expect(res.json.error.top.sub_code).toBe('isv.invalid-parameter');
    expect(res.json.request_id).toEqual(expect.any(String));
    expect(sandbox.calls).toHaveLength(1);
  });

  it('retries an HTTP 502 from the gateway and succeeds', async () => {
    sandbox.addFault({ kind: 'http', status: 502, count: 1 });
    const res = await invokeHttp(start('leave'), apigwHttp(SAMPLES.leave ?? {}), awsContext());
    expect(res.statusCode).toBe(200);
    expect(sandbox.calls.map((c) => c.status)).toEqual([502, 200]);
  });

  it('answers 503 with Retry-After within the deadline when the gateway hangs', async () => {
    sandbox.addFault({ kind: 'hang' });
    const started = Date.now();
    const res = await invokeHttp(start('arrive'), apigwHttp(SAMPLES.arrive ?? {}), awsContext(1_500));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json.error.code).toBe('timeout');
  });

  it('keeps within an FC deadline too', async () => {
    sandbox.addFault({ kind: 'hang' });
    const started = Date.now();
    const res = await invokeHttp(start('pay'), fcHttp(SAMPLES.pay ?? {}), fcContext(1));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(res.statusCode).toBe(503);
  });

  it('reports a business success=false as a refusal: 502, no retry', async () => {
    sandbox.addFault({ kind: 'business-failure' });
    const res = await invokeHttp(start('payinfo-sync'), apigwHttp(SAMPLES['payinfo-sync'] ?? {}), awsContext());
    expect(res.statusCode).toBe(502);
    expect(res.json.error.code).toBe('business_failure');
    expect(sandbox.calls).toHaveLength(1);
  });

  it('passes on a code 7 ban as Retry-After without retrying in a loop', async () => {
    sandbox.addFault({ kind: 'ban', seconds: 42 });
    const res = await invokeHttp(start('arrive'), apigwHttp(SAMPLES.arrive ?? {}), awsContext());
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('42');
    expect(res.json.error.code).toBe('rate_limited');
    expect(sandbox.calls).toHaveLength(1);
  });

  it('retries a non-JSON answer and keeps it as evidence when it persists', async () => {
    sandbox.addFault({ kind: 'non-json' });
    const res = await invokeHttp(start('arrive'), apigwHttp(SAMPLES.arrive ?? {}), awsContext(3_000));
    expect(res.statusCode).toBe(503);
    expect(res.json.error.code).toBe('bad_response');
    expect(sandbox.calls.length).toBeGreaterThan(1);
  });
});

describe('host time zone', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = tz;
  });
  for (const zone of ['UTC', 'America/Los_Angeles']) {
    it(`sends a timestamp TOP accepts with TZ=${zone}`, async () => {
      process.env.TZ = zone;
      const res = await invokeHttp(start('arrive'), apigwHttp(SAMPLES.arrive ?? {}), awsContext());
      expect(res.statusCode).toBe(200);
      expect(sandbox.calls[0]?.status).toBe(200);
    });
  }
});

describe('configuration', () => {
  it('names a missing setting, keeps the secret out of the answer, and sends nothing', async () => {
    const handler = start('arrive', { TOP_APP_SECRET: undefined, TOP_SIGN_METHOD: 'sha1' });
    const res = await invokeHttp(handler, apigwHttp(SAMPLES.arrive ?? {}), awsContext());
    expect(res.statusCode).toBe(500);
    expect(res.json.error.message).toMatch(/TOP_APP_SECRET is not set/);
    expect(res.json.error.message).toMatch(/TOP_SIGN_METHOD must be one of md5, hmac, hmac-sha256/);
    expect(sandbox.calls).toHaveLength(0);
  });
});

describe('what a cold start loads', () => {
  // A fresh node answers one event and reports whether undici's HTTP parser (llhttp.wasm, read when
  // undici is loaded) was ever read, and whether node's own HTTP modules were loaded (never: undici
  // is bundled without them), and whether a tracer subscribed to undici's diagnostics channels saw the
  // request (the bundle keeps the channels while it drops undici's debug logging).
  const probe = `
    let traced = false;
    require('node:diagnostics_channel').subscribe('undici:request:create', () => { traced = true; });
    const fs = require('node:fs');
    const readFileSync = fs.readFileSync;
    let loaded = false;
    fs.readFileSync = function (file, ...rest) {
      if (String(file).endsWith('llhttp.wasm')) loaded = true;
      return readFileSync.call(this, file, ...rest);
    };
    const { handler } = require(process.argv[1]);
    handler(JSON.parse(process.argv[2]), { getRemainingTimeInMillis: () => 5000 }).then((res) => {
      const nodeHttp = process.moduleLoadList.some((m) => /^NativeModule (http|_http_\\w+)$/.test(m));
      process.stdout.write(JSON.stringify({ status: res.statusCode, loaded, nodeHttp, traced }));
    });`;
  // Asynchronous, so that the sandbox in this process can answer the child.
  const coldRun = async (body: Record<string, unknown>) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-e', probe, join(DIST, 'arrive', 'index.js'), JSON.stringify(apigwHttp(body))],
      { env: { ...process.env, ...envFor(sandbox) }, encoding: 'utf8' },
    );
    return JSON.parse(stdout.slice(stdout.lastIndexOf('{"status"'))) as {
      status: number;
      loaded: boolean;
      nodeHttp: boolean;
      traced: boolean;
    };
  };

  it('does not load the HTTP client for an event it refuses', async () => {
    expect(await coldRun({ mall_id: 123 })).toEqual({ status: 400, loaded: false, nodeHttp: false, traced: false });
  });

  it('loads it on the first send, visible to tracers', async () => {
    expect(await coldRun(SAMPLES.arrive ?? {})).toEqual({ status: 200, loaded: true, nodeHttp: false, traced: true });
  });
});
