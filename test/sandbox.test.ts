import { Agent, request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FaultRule,
  SANDBOX_APP_KEY,
  SANDBOX_APP_SECRET,
  type Sandbox,
  type SandboxCall,
  startSandbox,
} from '../dev/sandbox/index.js';
import { buildRequest, type ParamValue, type TopCredentials } from '../shared/top/params.js';
import { SIGN_METHODS, type SignMethod, sign } from '../shared/top/sign.js';
import { formatTopTime } from '../shared/top/time.js';
import { SEED_PAY_ORDER } from './support/seeds.js';

const BACKFLOW = 'tmall.popupstore.park.backflow';
const PAYINFO = 'taobao.taojie.parking.order.payinfo.sync';
const FORM = 'application/x-www-form-urlencoded;charset=UTF-8';
const REQUEST_ID = /^[0-9a-z]{12}$/;

const creds = (signMethod: SignMethod = 'md5', appSecret = SANDBOX_APP_SECRET): TopCredentials => ({
  appKey: SANDBOX_APP_KEY,
  appSecret,
  signMethod,
});

const ARRIVE = { action: 'arrive', car_no: '浙A12345', mall_id: 123, start_time: '2019-02-14 00:00:00' };
const LEAVE = { action: 'leave', car_no: '浙A12345', mall_id: 123, end_time: '2019-02-14 02:00:00' };
const PAY = { action: 'pay', car_no: '浙A12345', mall_id: 123, pay_time: '2019-02-14 01:59:00', park_duration: 120 };
const DTO = SEED_PAY_ORDER;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

async function answerOf(res: Response): Promise<Answer> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** POSTs a raw query and form body to router/rest. */
async function post(sb: Sandbox, query: string, body: string, contentType = FORM): Promise<Answer> {
  const res = await fetch(`${sb.url}?${query}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return answerOf(res);
}

/** The product's way: buildRequest, system params in the query, app params in the body. */
function call(
  sb: Sandbox,
  method: string,
  app: Record<string, ParamValue>,
  opts: { signMethod?: SignMethod; now?: number; secret?: string } = {},
): Promise<Answer> {
  const req = buildRequest(creds(opts.signMethod, opts.secret), method, app, opts.now);
  return post(sb, req.query, req.body);
}

/** A signed param set, tampered with by `edit` and then re-signed, all sent in the body. */
function resigned(
  sb: Sandbox,
  method: string,
  app: Record<string, ParamValue>,
  edit: (p: Record<string, string>) => void,
): Promise<Answer> {
  const params: Record<string, string> = { ...buildRequest(creds(), method, app).params };
  edit(params);
  if (params.sign !== undefined) params.sign = sign(params, SANDBOX_APP_SECRET, 'md5');
  return post(sb, '', new URLSearchParams(params).toString());
}

const err = (a: Answer) =>
  a.json?.error_response as
    | { code: number; msg: string; sub_code?: string; sub_msg?: string; request_id: string }
    | undefined;

const lastCall = (sb: Sandbox): SandboxCall => {
  const c = sb.calls.at(-1);
  if (!c) throw new Error('no call recorded');
  return c;
};

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterEach(() => sb.reset());
afterAll(() => sb.close());

describe('accepted calls', () => {
  for (const signMethod of SIGN_METHODS) {
    for (const [name, app] of [
      ['arrive', ARRIVE],
      ['leave', LEAVE],
      ['pay', PAY],
    ] as const) {
      it(`backflow ${name} signed with ${signMethod}`, async () => {
        const a = await call(sb, BACKFLOW, app, { signMethod });
        expect(a.status).toBe(200);
        expect(a.json).toEqual({
          tmall_popupstore_park_backflow_response: {
            result_dto: { success: true, data: true },
            request_id: expect.stringMatching(REQUEST_ID),
          },
        });
        expect(lastCall(sb)).toMatchObject({ signature: 'valid', method: BACKFLOW, signMethod, status: 200 });
      });
    }

    it(`payinfo sync signed with ${signMethod}`, async () => {
      const a = await call(sb, PAYINFO, { pay_order_info_dto: DTO }, { signMethod });
      expect(a.status).toBe(200);
      expect(a.json).toEqual({
        taojie_parking_order_payinfo_sync_response: {
          result: { success: true, model: true },
          request_id: expect.stringMatching(REQUEST_ID),
        },
      });
      expect(lastCall(sb).signature).toBe('valid');
    });
  }

  it('answers JSON with a length and keeps the connection for the next call', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (): Promise<{ headers: Record<string, unknown>; reused: boolean; body: string }> =>
      new Promise((resolve, reject) => {
        const req = buildRequest(creds(), BACKFLOW, ARRIVE);
        const r = httpRequest(
          `${sb.url}?${req.query}`,
          { method: 'POST', agent, headers: { 'content-type': FORM } },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              body += c;
            });
            res.on('end', () => resolve({ headers: res.headers, reused: r.reusedSocket, body }));
          },
        );
        r.on('error', reject);
        r.end(req.body);
      });
    try {
      const first = await send();
      const second = await send();
      expect(first.headers['content-type']).toBe('application/json;charset=UTF-8');
      expect(Number(first.headers['content-length'])).toBe(Buffer.byteLength(first.body));
      expect(second.reused).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('verifies Chinese text and records it decoded', async () => {
    const a = await call(sb, BACKFLOW, {
      ...ARRIVE,
      car_no: '浙A12345',
      car_type: '宝马 x5',
      extend: { 备注: '你好' },
    });
    expect(a.json.tmall_popupstore_park_backflow_response).toBeDefined();
    const c = lastCall(sb);
    expect(c.signature).toBe('valid');
    expect(c.params.car_no).toBe('浙A12345');
    expect(c.params.car_type).toBe('宝马 x5');
    expect(c.contentType).toBe(FORM);
  });

  it('verifies a multipart/form-data request carrying every param, as the Node SDK sends it', async () => {
    const req = buildRequest(creds('hmac'), BACKFLOW, { ...PAY, car_type: '宝马 x5' });
    const form = new FormData();
    for (const [k, v] of Object.entries(req.params)) form.append(k, v);
    const a = await answerOf(await fetch(sb.url, { method: 'POST', body: form }));
    expect(a.json).toMatchObject({ tmall_popupstore_park_backflow_response: { result_dto: { success: true } } });
    const c = lastCall(sb);
    expect(c.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(c.signature).toBe('valid');
    expect(c.params.car_type).toBe('宝马 x5');
  });

  it('parses a hand-written multipart body (quoted boundary, per-part charset) and refuses file parts', async () => {
    const req = buildRequest(creds('hmac-sha256'), BACKFLOW, { ...ARRIVE, car_type: '宝马 x5' });
    const boundary = '----TopFormBoundary7MA4YWxk';
    const app = Object.fromEntries(new URLSearchParams(req.body));
    const parts = Object.entries(app).map(
      ([k, v]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n${v}\r\n`,
    );
    const body = `${parts.join('')}--${boundary}--\r\n`;
    const a = await post(sb, req.query, body, `multipart/form-data; boundary="${boundary}"`);
    expect(a.json.tmall_popupstore_park_backflow_response?.result_dto).toEqual({ success: true, data: true });
    expect(lastCall(sb).params.car_type).toBe('宝马 x5');

    const withFile = `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\n\r\nxx\r\n${body}`;
    const refused = await post(sb, req.query, withFile, `multipart/form-data; boundary=${boundary}`);
    expect(err(refused)).toMatchObject({ code: 41, sub_msg: expect.stringContaining('"image" is a file') });
  });

  it('also takes GET with everything in the query string', async () => {
    const req = buildRequest(creds(), BACKFLOW, LEAVE);
    const a = await answerOf(await fetch(`${sb.url}?${new URLSearchParams(req.params)}`));
    expect(a.json.tmall_popupstore_park_backflow_response.result_dto.success).toBe(true);
  });

  it('drops empty params before verifying, like the real gateway', async () => {
    const req = buildRequest(creds(), BACKFLOW, ARRIVE);
    const a = await post(sb, req.query, `${req.body}&coupon_id=&user_nick=`);
    expect(a.json.tmall_popupstore_park_backflow_response).toBeDefined();
    expect(lastCall(sb).params).toMatchObject({ coupon_id: '', user_nick: '' });
  });
});

describe('system params', () => {
  it('refuses a wrong signature with 25 and records it as invalid', async () => {
    const a = await call(sb, BACKFLOW, ARRIVE, { secret: 'not-the-secret' });
    expect(a.status).toBe(200);
    expect(err(a)).toMatchObject({ code: 25, msg: 'Invalid Signature', request_id: expect.stringMatching(REQUEST_ID) });
    expect(lastCall(sb).signature).toBe('invalid');
  });

  it('refuses a request whose body changed after signing', async () => {
    const req = buildRequest(creds('hmac-sha256'), BACKFLOW, ARRIVE);
    const a = await post(sb, req.query, req.body.replace('mall_id=123', 'mall_id=124'));
    expect(err(a)?.code).toBe(25);
    expect(lastCall(sb).params.mall_id).toBe('124');
  });

  it('never echoes the app secret', async () => {
    const a = await call(sb, BACKFLOW, ARRIVE, { secret: 'wrong' });
    const admin = await (await fetch(`${sb.origin}/_admin/calls`)).text();
    expect(err(a)?.sub_msg).toContain('signature does not match');
    expect(a.text).not.toContain(SANDBOX_APP_SECRET);
    expect(admin).not.toContain(SANDBOX_APP_SECRET);
  });

  const cases: [string, (p: Record<string, string>) => void, number, string][] = [
    ['missing method', (p) => delete p.method, 21, 'Missing Method'],
    ['unknown method', (p) => (p.method = 'taobao.item.get'), 22, 'Invalid Method'],
    ['missing app_key', (p) => delete p.app_key, 28, 'Missing App Key'],
    ['unknown app_key', (p) => (p.app_key = '87654321'), 29, 'Invalid App Key'],
    ['missing timestamp', (p) => delete p.timestamp, 30, 'Missing Timestamp'],
    ['ISO timestamp', (p) => (p.timestamp = '2024-01-01T00:00:00+08:00'), 31, 'Invalid Timestamp'],
    ['missing v', (p) => delete p.v, 32, 'Missing Version'],
    ['v 1.0', (p) => (p.v = '1.0'), 33, 'Invalid Version'],
    ['missing format', (p) => delete p.format, 23, 'Invalid Format'],
    ['format xml', (p) => (p.format = 'xml'), 23, 'Invalid Format'],
    ['sign_method sha1', (p) => (p.sign_method = 'sha1'), 25, 'Invalid Signature'],
    ['missing sign', (p) => delete p.sign, 24, 'Missing Signature'],
  ];
  for (const [name, edit, code, msg] of cases) {
    it(`${name} → ${code}`, async () => {
      const a = await resigned(sb, BACKFLOW, ARRIVE, edit);
      expect(err(a)).toMatchObject({ code, msg });
    });
  }

  it('checks in TOP order: missing app_key wins over a bad timestamp and a missing sign', async () => {
    const a = await resigned(sb, BACKFLOW, ARRIVE, (p) => {
      delete p.app_key;
      delete p.sign;
      p.timestamp = 'yesterday';
    });
    expect(err(a)?.code).toBe(28);
    expect(lastCall(sb).signature).toBe('missing');
  });

  it('refuses a timestamp 11 minutes stale, takes one 9 minutes stale (10 minutes of skew)', async () => {
    const clock = Date.UTC(2024, 5, 1, 4, 0, 0);
    const fixed = await startSandbox({ now: () => clock });
    try {
      const stale = await call(fixed, BACKFLOW, ARRIVE, { now: clock - 11 * 60_000 });
      expect(err(stale)).toMatchObject({ code: 31, msg: 'Invalid Timestamp' });
      expect(err(stale)?.sub_msg).toContain('2024-06-01 12:00:00');
      const ahead = await call(fixed, BACKFLOW, ARRIVE, { now: clock + 11 * 60_000 });
      expect(err(ahead)?.code).toBe(31);
      const fine = await call(fixed, BACKFLOW, ARRIVE, { now: clock - 9 * 60_000 });
      expect(fine.json.tmall_popupstore_park_backflow_response).toBeDefined();
      expect(fixed.calls[0]?.receivedAt).toBe(clock);
    } finally {
      await fixed.close();
    }
  });

  it('explains a timestamp 8 hours off (formatted in UTC)', async () => {
    const a = await resigned(sb, BACKFLOW, ARRIVE, (p) => {
      p.timestamp = formatTopTime(Date.now() - 8 * 3600_000);
    });
    expect(err(a)?.code).toBe(31);
    expect(err(a)?.sub_msg).toMatch(/8 hours/);
  });

  it('knows only the apps it was given', async () => {
    const other = await startSandbox({ apps: { '999': 'other-secret' } });
    try {
      const refused = await call(other, BACKFLOW, ARRIVE);
      expect(err(refused)?.code).toBe(29);
      const req = buildRequest({ appKey: '999', appSecret: 'other-secret', signMethod: 'md5' }, BACKFLOW, ARRIVE);
      const ok = await post(other, req.query, req.body);
      expect(ok.json.tmall_popupstore_park_backflow_response).toBeDefined();
    } finally {
      await other.close();
    }
  });

  it('refuses params sent twice with different values', async () => {
    const req = buildRequest(creds(), BACKFLOW, ARRIVE);
    const a = await post(sb, `${req.query}&car_no=${encodeURIComponent('沪B1')}`, req.body);
    expect(err(a)).toMatchObject({ code: 41, sub_code: 'isv.invalid-parameter:car_no' });
  });

  it('refuses a body it cannot read', async () => {
    const req = buildRequest(creds(), BACKFLOW, ARRIVE);
    const json = await post(sb, req.query, JSON.stringify(ARRIVE), 'application/json');
    expect(err(json)).toMatchObject({ code: 41, sub_code: 'isv.invalid-parameter:body' });
    const gbk = await post(sb, req.query, req.body, 'application/x-www-form-urlencoded;charset=GBK');
    expect(err(gbk)?.sub_msg).toContain('GBK');
  });
});

describe('application params', () => {
  const missing: [string, Record<string, ParamValue>, string][] = [
    ['arrive', { ...ARRIVE, start_time: undefined }, 'start_time'],
    ['leave', { ...LEAVE, end_time: undefined }, 'end_time'],
    ['pay', { ...PAY, pay_time: undefined }, 'pay_time'],
    ['pay', { ...PAY, park_duration: undefined }, 'park_duration'],
    ['arrive', { ...ARRIVE, car_no: undefined }, 'car_no'],
    ['leave', { ...LEAVE, mall_id: undefined }, 'mall_id'],
    ['any', { ...ARRIVE, action: undefined }, 'action'],
  ];
  for (const [action, app, field] of missing) {
    it(`${action} without ${field} → 40 naming it`, async () => {
      const a = await call(sb, BACKFLOW, app);
      expect(err(a)).toMatchObject({
        code: 40,
        msg: `Missing required arguments:${field}`,
        sub_code: `isv.missing-parameter:${field}`,
      });
    });
  }

  it('arrive needs no end_time, leave no start_time', async () => {
    expect((await call(sb, BACKFLOW, ARRIVE)).json.error_response).toBeUndefined();
    expect((await call(sb, BACKFLOW, LEAVE)).json.error_response).toBeUndefined();
  });

  const invalid: [string, Record<string, ParamValue>, string][] = [
    ['an impossible date (2019-02-30)', { ...ARRIVE, start_time: '2019-02-30 10:00:00' }, 'start_time'],
    ['a date without time', { ...LEAVE, end_time: '2019-02-14' }, 'end_time'],
    ['an unknown action', { ...ARRIVE, action: 'park' }, 'action'],
    ['a decimal mall_id', { ...ARRIVE, mall_id: '12.5' }, 'mall_id'],
    ['a mobile with letters', { ...ARRIVE, mobile: '159-8885' }, 'mobile'],
    ['extend that is not JSON', { ...ARRIVE, extend: '{key: value}' }, 'extend'],
    ['extend that is a JSON array', { ...ARRIVE, extend: '[1]' }, 'extend'],
    ['an unknown param', { ...ARRIVE, parking_lot: 'B2' }, 'parking_lot'],
  ];
  for (const [what, app, field] of invalid) {
    it(`${what} → 41 naming ${field}`, async () => {
      const a = await call(sb, BACKFLOW, app);
      expect(err(a)).toMatchObject({
        code: 41,
        msg: `Invalid arguments:${field}`,
        sub_code: `isv.invalid-parameter:${field}`,
        sub_msg: expect.stringContaining(field),
      });
    });
  }

  it('takes every optional backflow field of the seed', async () => {
    const a = await call(sb, BACKFLOW, {
      ...PAY,
      start_time: '2019-02-14 00:00:00',
      end_time: '2019-02-14 02:00:00',
      car_type: '宝马 x5 2018',
      extend: '{ "key": "value" }',
      user_nick: 'toptest_015',
      mobile: 15988855789,
      coupon_id: '1235436123',
    });
    expect(a.json).toMatchObject({ tmall_popupstore_park_backflow_response: { result_dto: { success: true } } });
  });

  const payinfo: [string, unknown, number, string][] = [
    ['no DTO', undefined, 40, 'pay_order_info_dto'],
    ['a DTO that is not JSON', 'car_no=1', 41, 'pay_order_info_dto'],
    ['a DTO without order_id', { ...DTO, order_id: undefined }, 40, 'pay_order_info_dto.order_id'],
    ['a DTO without pay_fee', { ...DTO, pay_fee: undefined }, 40, 'pay_order_info_dto.pay_fee'],
    ['order_type 3', { ...DTO, order_type: 3 }, 41, 'pay_order_info_dto.order_type'],
    ['pay_fee as text', { ...DTO, pay_fee: '1000' }, 41, 'pay_order_info_dto.pay_fee'],
    ['pay_fee 10.5', { ...DTO, pay_fee: 10.5 }, 41, 'pay_order_info_dto.pay_fee'],
    ['pay_time 2019-02-30', { ...DTO, pay_time: '2019-02-30 20:00:00' }, 41, 'pay_order_info_dto.pay_time'],
    ['car_no as a number', { ...DTO, car_no: 12345 }, 41, 'pay_order_info_dto.car_no'],
    ['an unknown member', { ...DTO, refund_id: 'r1' }, 41, 'pay_order_info_dto.refund_id'],
  ];
  for (const [what, dto, code, name] of payinfo) {
    it(`payinfo with ${what} → ${code} naming ${name}`, async () => {
      const a = await call(sb, PAYINFO, { pay_order_info_dto: dto as ParamValue });
      expect(err(a)?.code).toBe(code);
      expect(err(a)?.sub_code).toBe(`isv.${code === 40 ? 'missing' : 'invalid'}-parameter:${name}`);
    });
  }

  it('payinfo takes a refund without the optional members', async () => {
    const { pay_order_id: _id, pay_method: _m, ...bare } = DTO;
    const a = await call(sb, PAYINFO, { pay_order_info_dto: { ...bare, order_type: 2 } });
    expect(a.json.taojie_parking_order_payinfo_sync_response?.result).toEqual({ success: true, model: true });
  });

  it('refuses a backflow param on payinfo', async () => {
    const a = await call(sb, PAYINFO, { pay_order_info_dto: DTO, mall_id: 1 });
    expect(err(a)?.sub_code).toBe('isv.invalid-parameter:mall_id');
  });
});

describe('faults', () => {
  const expectSuccess = (a: Answer) =>
    expect(a.json?.tmall_popupstore_park_backflow_response?.result_dto).toEqual({ success: true, data: true });

  it('isp twice, then success (count wears out)', async () => {
    const rule = sb.addFault({ kind: 'isp', count: 2 });
    expect(sb.faults()).toEqual([{ kind: 'isp', count: 2, id: rule.id, remaining: 2 }]);
    const first = await call(sb, BACKFLOW, ARRIVE);
    expect(err(first)).toMatchObject({ code: 15, msg: 'Remote service error', sub_code: 'isp.remote-service-timeout' });
    expect(sb.faults()[0]?.remaining).toBe(1);
    expect(err(await call(sb, BACKFLOW, ARRIVE))?.code).toBe(15);
    expect(sb.faults()).toEqual([]);
    expectSuccess(await call(sb, BACKFLOW, ARRIVE));
    expect(sb.calls.map((c) => c.fault)).toEqual(['isp', 'isp', undefined]);
    expect(sb.calls[0]?.faultId).toBe(rule.id);
  });

  it('fires before the checks, and the call is still recorded with its params', async () => {
    sb.addFault({ kind: 'isp', subCode: 'isp.top-remote-unknown-error', count: 1 });
    const a = await call(sb, BACKFLOW, { ...ARRIVE, start_time: undefined }, { secret: 'wrong' });
    expect(err(a)?.sub_code).toBe('isp.top-remote-unknown-error');
    expect(lastCall(sb)).toMatchObject({ fault: 'isp', signature: 'invalid', params: { car_no: '浙A12345' } });
  });

  it('isv answers code 15 with an isv sub_code', async () => {
    sb.addFault({ kind: 'isv' });
    expect(err(await call(sb, BACKFLOW, ARRIVE))).toMatchObject({ code: 15, sub_code: 'isv.invalid-parameter' });
    sb.clearFaults();
    sb.addFault({ kind: 'isv', subCode: 'isv.park-not-found' });
    expect(err(await call(sb, BACKFLOW, ARRIVE))?.sub_code).toBe('isv.park-not-found');
  });

  it('ban answers code 7 and says how long', async () => {
    sb.addFault({ kind: 'ban', seconds: 42 });
    expect(err(await call(sb, BACKFLOW, ARRIVE))).toMatchObject({
      code: 7,
      msg: 'App Call Limited',
      sub_code: 'accesscontrol.limited-by-app-access-count',
      sub_msg: 'This ban will last for 42 more seconds',
    });
  });

  it('http answers that status with a non-JSON body', async () => {
    sb.addFault({ kind: 'http', status: 503, count: 1 });
    const a = await call(sb, BACKFLOW, ARRIVE);
    expect(a.status).toBe(503);
    expect(a.json).toBeUndefined();
    expect(a.text).toContain('503');
    expect(lastCall(sb)).toMatchObject({ status: 503, fault: 'http', response: a.text });
  });

  it('non-json answers 200 with HTML', async () => {
    sb.addFault({ kind: 'non-json' });
    const a = await call(sb, PAYINFO, { pay_order_info_dto: DTO });
    expect(a.status).toBe(200);
    expect(a.text).toMatch(/^<html>[\s\S]*<\/html>\s*$/);
    expect(a.json).toBeUndefined();
  });

  it('slow answers normally after the delay', async () => {
    sb.addFault({ kind: 'slow', delayMs: 150, count: 1 });
    const started = performance.now();
    const a = await call(sb, BACKFLOW, ARRIVE);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expectSuccess(a);
    expect(lastCall(sb).durationMs).toBeGreaterThanOrEqual(140);
  });

  it('slow still checks the request', async () => {
    sb.addFault({ kind: 'slow', delayMs: 20 });
    expect(err(await call(sb, BACKFLOW, ARRIVE, { secret: 'wrong' }))?.code).toBe(25);
  });

  it('counts the most calls it held open at once, and forgets them on reset', async () => {
    sb.addFault({ kind: 'slow', delayMs: 100 });
    await Promise.all(Array.from({ length: 5 }, () => call(sb, BACKFLOW, ARRIVE)));
    await call(sb, BACKFLOW, ARRIVE);
    expect(sb.peakInFlight()).toBe(5);
    sb.reset();
    expect(sb.peakInFlight()).toBe(0);
    await call(sb, BACKFLOW, ARRIVE);
    expect(sb.peakInFlight()).toBe(1);
  });

  it('business-failure answers the success envelope with success false, for each method', async () => {
    sb.addFault({ kind: 'business-failure' });
    const backflow = await call(sb, BACKFLOW, ARRIVE);
    expect(backflow.json).toEqual({
      tmall_popupstore_park_backflow_response: {
        result_dto: { success: false, data: false, error_code: '-1', error_message: expect.any(String) },
        request_id: expect.stringMatching(REQUEST_ID),
      },
    });
    const payinfo = await call(sb, PAYINFO, { pay_order_info_dto: DTO });
    expect(payinfo.json).toEqual({
      taojie_parking_order_payinfo_sync_response: {
        result: { success: false, model: false, code: '500', message: expect.any(String) },
        request_id: expect.stringMatching(REQUEST_ID),
      },
    });
  });

  it('a method-scoped rule leaves other methods alone; the first matching rule fires', async () => {
    sb.addFault({ kind: 'ban', seconds: 5, method: PAYINFO });
    sb.addFault({ kind: 'isp' });
    expect(err(await call(sb, PAYINFO, { pay_order_info_dto: DTO }))?.code).toBe(7);
    expect(err(await call(sb, BACKFLOW, ARRIVE))?.code).toBe(15);
  });

  it('refuses an invalid rule with a clear error', () => {
    expect(() => sb.addFault({ kind: 'ban', seconds: -1 })).toThrow(/seconds must be a positive integer/);
    expect(() => sb.addFault({ kind: 'isp', subCode: 'isv.x' } as FaultRule)).toThrow(/must start with "isp."/);
    expect(sb.faults()).toEqual([]);
  });

  it('hang never answers, and close() still returns promptly', async () => {
    const own = await startSandbox();
    own.addFault({ kind: 'hang' });
    const arrived = new Promise<SandboxCall>((resolve) => own.onCall(resolve));
    const req = buildRequest(creds(), BACKFLOW, ARRIVE);
    const pending = fetch(`${own.url}?${req.query}`, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: req.body,
    });
    const settled = pending.then(
      () => 'answered',
      () => 'failed',
    );
    const hung = await arrived;
    expect(hung).toMatchObject({ fault: 'hang', status: 0, response: null });
    expect(await Promise.race([settled, new Promise((r) => setTimeout(() => r('still waiting'), 100))])).toBe(
      'still waiting',
    );
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(500);
    expect(await settled).toBe('failed');
  });
});

describe('admin API', () => {
  const admin = async (path: string, init?: RequestInit): Promise<Answer> =>
    answerOf(await fetch(`${sb.origin}/_admin${path}`, init));

  it('adds, lists and clears faults', async () => {
    const added = await admin('/faults', { method: 'POST', body: JSON.stringify({ kind: 'isp', count: 1 }) });
    expect(added.status).toBe(201);
    expect(added.json).toEqual({ kind: 'isp', count: 1, id: expect.any(String) });
    await admin('/faults', { method: 'POST', body: JSON.stringify({ kind: 'slow', delayMs: 10 }) });
    const listed = await admin('/faults');
    expect(listed.json.map((f: { kind: string }) => f.kind)).toEqual(['isp', 'slow']);
    expect(err(await call(sb, BACKFLOW, ARRIVE))?.code).toBe(15);

    const del = await admin(`/faults/${listed.json[1].id}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(sb.faults()).toEqual([]);
    expect((await admin('/faults/nope', { method: 'DELETE' })).status).toBe(404);

    await admin('/faults', { method: 'POST', body: JSON.stringify({ kind: 'hang' }) });
    expect((await admin('/faults', { method: 'DELETE' })).json).toEqual({ cleared: 1 });
    expect((await admin('/faults')).json).toEqual([]);
  });

  it('validates fault rules with 400 and says why', async () => {
    const badKind = await admin('/faults', { method: 'POST', body: JSON.stringify({ kind: 'explode' }) });
    expect(badKind.status).toBe(400);
    expect(badKind.json.error.message).toMatch(/kind must be one of/);
    const badFields = await admin('/faults', {
      method: 'POST',
      body: JSON.stringify({ kind: 'http', status: 200, delayMs: 5, count: 0 }),
    });
    expect(badFields.status).toBe(400);
    expect(badFields.json.error.problems).toHaveLength(3);
    const notJson = await admin('/faults', { method: 'POST', body: '{kind:' });
    expect(notJson.json.error.code).toBe('invalid_json');
    expect(sb.faults()).toEqual([]);
  });

  it('lists calls newest first, with a limit, and clears them', async () => {
    await call(sb, BACKFLOW, ARRIVE);
    await call(sb, BACKFLOW, LEAVE);
    await call(sb, BACKFLOW, PAY);
    const all = await admin('/calls');
    expect(all.json.map((c: SandboxCall) => c.params.action)).toEqual(['pay', 'leave', 'arrive']);
    const one = await admin('/calls?limit=1');
    expect(one.json).toHaveLength(1);
    expect(one.json[0].params.action).toBe('pay');
    expect((await admin('/calls?limit=zero')).status).toBe(400);
    expect((await admin('/calls', { method: 'DELETE' })).json).toEqual({ cleared: 3 });
    expect(sb.calls).toEqual([]);
  });

  it('streams calls as Server-Sent Events', async () => {
    const abort = new AbortController();
    const res = await fetch(`${sb.origin}/_admin/events`, { signal: abort.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no body');
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value); // ": connected", so the feed is live
    await call(sb, BACKFLOW, ARRIVE);
    const event = /event: call\nid: \S+\ndata: (.*)\n\n/;
    while (!event.test(text)) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    abort.abort();
    const data = event.exec(text)?.[1];
    expect(data).toBeDefined();
    expect(JSON.parse(data ?? '')).toMatchObject({
      method: BACKFLOW,
      signature: 'valid',
      params: { action: 'arrive' },
    });
  });

  it('answers 404 JSON off router/rest and /_admin', async () => {
    const a = answerOf(await fetch(`${sb.origin}/router/other`));
    expect((await a).status).toBe(404);
    expect((await a).json.error.code).toBe('not_found');
    expect(sb.calls).toEqual([]);
  });

  it('onCall feeds calls live until unsubscribed', async () => {
    const seen: string[] = [];
    const off = sb.onCall((c) => seen.push(c.id));
    await call(sb, BACKFLOW, ARRIVE);
    off();
    await call(sb, BACKFLOW, ARRIVE);
    expect(seen).toHaveLength(1);
    expect(sb.calls).toHaveLength(2);
  });
});

describe('per-app call limit', () => {
  let clock = Date.now();
  let limited: Sandbox;
  beforeAll(async () => {
    limited = await startSandbox({ now: () => clock, limit: { perSecond: 3, banSeconds: 5 } });
  });
  afterAll(() => limited.close());
  const at = (ms: number) => {
    clock = ms;
    return call(limited, BACKFLOW, ARRIVE, { now: ms });
  };

  it('bans the app for banSeconds once a second holds more calls than perSecond, then lets it call again', async () => {
    const t0 = Date.now();
    for (const ms of [0, 300, 600]) expect((await at(t0 + ms)).json.error_response).toBeUndefined();
    expect(err(await at(t0 + 900))).toMatchObject({
      code: 7,
      msg: 'App Call Limited',
      sub_msg: 'This ban will last for 5 more seconds',
    });
    // Every call during the ban is refused with the time left, though the second has passed.
    expect(err(await at(t0 + 900 + 3_200))?.sub_msg).toBe('This ban will last for 2 more seconds');
    expect(limited.limitState()).toMatchObject({
      limit: { perSecond: 3, banSeconds: 5 },
      bans: [{ appKey: SANDBOX_APP_KEY, until: t0 + 5_900, secondsLeft: 2 }],
      refused: 2,
    });
    expect((await at(t0 + 5_900)).json.error_response).toBeUndefined();
    expect(limited.limitState().bans).toEqual([]);
  });

  it('counts a sliding second, not calendar seconds', async () => {
    limited.setLimit({ perSecond: 2, banSeconds: 1 });
    const t0 = Date.now();
    for (const ms of [0, 999, 1_000, 1_999, 2_100]) expect(err(await at(t0 + ms))).toBeUndefined();
    // 1,999 and 2,100 are within one second of 2,200: this is the third in that second.
    expect(err(await at(t0 + 2_200))?.code).toBe(7);
  });

  it('is set, read and removed through the admin API, and checked', async () => {
    const admin = async (init?: RequestInit): Promise<Answer> =>
      answerOf(await fetch(`${limited.origin}/_admin/limit`, init));
    const put = await admin({ method: 'PUT', body: JSON.stringify({ perSecond: 1, banSeconds: 30 }) });
    expect(put.json).toEqual({ limit: { perSecond: 1, banSeconds: 30 }, bans: [], refused: 0 });
    const t0 = Date.now();
    await at(t0);
    expect(err(await at(t0 + 10))?.sub_msg).toBe('This ban will last for 30 more seconds');
    expect((await admin()).json.bans).toEqual([{ appKey: SANDBOX_APP_KEY, until: t0 + 30_010, secondsLeft: 30 }]);
    const bad = await admin({ method: 'PUT', body: JSON.stringify({ perSecond: 0, banSeconds: 5, burst: 1 }) });
    expect(bad.status).toBe(400);
    expect(bad.json.error.problems).toEqual([
      'unknown field "burst"; allowed: perSecond, banSeconds',
      'perSecond must be a positive integer',
    ]);
    expect((await admin({ method: 'DELETE' })).json).toEqual({ limit: null, bans: [], refused: 0 });
    expect(err(await at(t0 + 20))).toBeUndefined();
    expect(() => limited.setLimit({ perSecond: 1.5, banSeconds: 1 })).toThrow(/perSecond must be a positive integer/);
  });
});
