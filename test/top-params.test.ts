import { afterEach, describe, expect, it } from 'vitest';
import { buildRequest } from '../shared/top/params.js';
import { sign } from '../shared/top/sign.js';
import { formatTopTime, parseTopTime } from '../shared/top/time.js';

const creds = { appKey: '12345678', appSecret: 'secret', signMethod: 'md5' as const };
// 2019-02-14 00:00:00 in GMT+8.
const VALENTINE = Date.UTC(2019, 1, 13, 16, 0, 0);

describe('timestamps', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = tz;
  });

  for (const zone of ['UTC', 'America/New_York', 'Asia/Kolkata', 'Asia/Shanghai']) {
    it(`are GMT+8 with TZ=${zone}`, () => {
      process.env.TZ = zone;
      expect(formatTopTime(VALENTINE)).toBe('2019-02-14 00:00:00');
      expect(buildRequest(creds, 'm', {}, VALENTINE).params.timestamp).toBe('2019-02-14 00:00:00');
    });
  }

  it('really changed the zone between those cases', () => {
    process.env.TZ = 'UTC';
    const utcHours = new Date(VALENTINE).getHours();
    process.env.TZ = 'Asia/Kolkata';
    expect(new Date(VALENTINE).getHours()).not.toBe(utcHours);
  });

  it('read back from text, and reject impossible dates', () => {
    expect(parseTopTime('2019-02-14 00:00:00')).toBe(VALENTINE);
    expect(parseTopTime('2019-02-30 00:00:00')).toBeUndefined();
    expect(parseTopTime('2019-02-14 24:00:00')).toBeUndefined();
    expect(parseTopTime('2019-2-14 00:00:00')).toBeUndefined();
  });
});

describe('buildRequest', () => {
  it('puts system params in the query and application params in the body', () => {
    const req = buildRequest(creds, 'tmall.popupstore.park.backflow', { car_no: '浙A12345', mall_id: 123 }, VALENTINE);
    const query = new URLSearchParams(req.query);
    const body = new URLSearchParams(req.body);
    expect([...query.keys()].sort()).toEqual(['app_key', 'format', 'method', 'sign', 'sign_method', 'timestamp', 'v']);
    expect(query.get('v')).toBe('2.0');
    expect(query.get('format')).toBe('json');
    expect(query.get('sign_method')).toBe('md5');
    expect(Object.fromEntries(body)).toEqual({ car_no: '浙A12345', mall_id: '123' });
    const { sign: signature, ...rest } = req.params;
    expect(signature).toBe(sign(rest, 'secret', 'md5'));
    expect(query.get('sign')).toBe(signature);
  });

  it('neither signs nor sends empty, null or undefined values', () => {
    const req = buildRequest(
      { ...creds, session: '', partnerId: undefined },
      'm',
      { a: '', b: null, c: undefined, d: 'x' },
      VALENTINE,
    );
    expect(Object.keys(req.params).sort()).toEqual(
      ['app_key', 'd', 'format', 'method', 'sign', 'sign_method', 'timestamp', 'v'].sort(),
    );
    expect(req.body).toBe('d=x');
    expect(req.query).not.toContain('undefined');
  });

  it('sends session, partner_id and simplify when set', () => {
    const req = buildRequest({ ...creds, session: 'sess', partnerId: 'parkflow', simplify: true }, 'm', {}, VALENTINE);
    expect(req.params).toMatchObject({ session: 'sess', partner_id: 'parkflow', simplify: 'true' });
  });

  it('sends object params as one JSON field: snake_case keys, nulls omitted, dates formatted', () => {
    const dto = {
      orderId: 'BK1',
      payTime: new Date(VALENTINE),
      payFee: 1000,
      payMethod: null,
      nested: { carNo: '浙A1' },
    };
    const req = buildRequest(creds, 'm', { pay_order_info_dto: dto }, VALENTINE);
    expect(JSON.parse(req.params.pay_order_info_dto ?? '')).toEqual({
      order_id: 'BK1',
      pay_time: '2019-02-14 00:00:00',
      pay_fee: 1000,
      nested: { car_no: '浙A1' },
    });
    expect(new URLSearchParams(req.body).get('pay_order_info_dto')).toBe(req.params.pay_order_info_dto);
  });

  it('formats Date params like timestamps', () => {
    expect(buildRequest(creds, 'm', { start_time: new Date(VALENTINE) }, VALENTINE).params.start_time).toBe(
      '2019-02-14 00:00:00',
    );
  });
});
