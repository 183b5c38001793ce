import { describe, expect, it } from 'vitest';
import { check } from '../shared/apis/api.js';
import { backflow } from '../shared/apis/backflow.js';
import { payinfoSync } from '../shared/apis/payinfo.js';
import { SEED_PAY_ORDER } from './support/seeds.js';

const arrive = backflow('arrive');
const leave = backflow('leave');
const pay = backflow('pay');
const base = { mall_id: 123, car_no: '浙A12345' };

const issues = (result: ReturnType<typeof check>) => (result.ok ? [] : result.issues);
const paths = (result: ReturnType<typeof check>) => issues(result).map((i) => i.path);
const params = (result: ReturnType<typeof check>) => {
  if (!result.ok) throw new Error(`expected valid input, got ${JSON.stringify(result.issues)}`);
  return result.params;
};

describe('backflow schema', () => {
  it('takes the seed example and sends every field in TOP form', () => {
    const p = params(
      check(pay, {
        start_time: '2019-02-14 00:00:00',
        car_type: '宝马 x5 2018',
        car_no: '浙A.66666',
        extend: '{ "key": "value" }',
        user_nick: 'toptest_015',
        action: 'pay',
        mall_id: 123,
        end_time: '2019-02-14 00:00:00',
        pay_time: '2019-02-14 00:00:00',
        mobile: 15988855789,
        coupon_id: '1235436123',
        park_duration: 120,
      }),
    );
    expect(p).toEqual({
      start_time: '2019-02-14 00:00:00',
      car_type: '宝马 x5 2018',
      car_no: '浙A.66666',
      extend: '{"key":"value"}',
      user_nick: 'toptest_015',
      action: 'pay',
      mall_id: '123',
      end_time: '2019-02-14 00:00:00',
      pay_time: '2019-02-14 00:00:00',
      mobile: '15988855789',
      coupon_id: '1235436123',
      park_duration: '120',
    });
  });

  it('takes the action from the function and refuses a body that names another', () => {
    expect(params(check(arrive, { ...base, start_time: '2019-02-14 00:00:00' })).action).toBe('arrive');
    const wrong = issues(check(arrive, { ...base, start_time: '2019-02-14 00:00:00', action: 'leave' }));
    expect(wrong).toEqual([{ path: 'action', message: expect.stringContaining('must be "arrive"') }]);
  });

  it('requires start_time to arrive, end_time to leave, pay_time and park_duration to pay', () => {
    expect(issues(check(arrive, base))).toEqual([{ path: 'start_time', message: 'is required when action is arrive' }]);
    expect(issues(check(leave, base))).toEqual([{ path: 'end_time', message: 'is required when action is leave' }]);
    expect(issues(check(pay, base))).toEqual([
      { path: 'pay_time', message: 'is required when action is pay' },
      { path: 'park_duration', message: 'is required when action is pay' },
    ]);
    expect(check(leave, { ...base, end_time: '2019-02-14 10:00:00' }).ok).toBe(true);
    expect(check(pay, { ...base, pay_time: '2019-02-14 10:00:00', park_duration: 0 }).ok).toBe(true);
  });

  it('refuses an end_time before the start_time', () => {
    const r = check(leave, { ...base, start_time: '2019-02-14 10:00:00', end_time: '2019-02-14 09:59:59' });
    expect(issues(r)).toEqual([{ path: 'end_time', message: 'must not be before start_time' }]);
    expect(check(leave, { ...base, start_time: '2019-02-14 10:00:00', end_time: '2019-02-14 10:00:00' }).ok).toBe(true);
  });

  it('reads dates as China time, ISO 8601 with an offset, or epoch milliseconds', () => {
    const at = (start_time: unknown) => params(check(arrive, { ...base, start_time })).start_time;
    expect(at('2019-02-14 08:30:00')).toBe('2019-02-14 08:30:00');
    expect(at('2019-02-14T00:30:00Z')).toBe('2019-02-14 08:30:00');
    expect(at('2019-02-14T08:30:00+08:00')).toBe('2019-02-14 08:30:00');
    expect(at('2019-02-13T19:30:00.250-05:00')).toBe('2019-02-14 08:30:00');
    expect(at(Date.UTC(2019, 1, 14, 0, 30))).toBe('2019-02-14 08:30:00');
  });

  it('refuses impossible and ambiguous dates with a reason', () => {
    const why = (start_time: unknown) => issues(check(arrive, { ...base, start_time }))[0]?.message;
    expect(why('2019-02-30 10:00:00')).toMatch(/not a real date/);
    expect(why('2019-02-29T10:00:00+08:00')).toMatch(/not a real date/);
    expect(why('2019-02-14 25:00:00')).toMatch(/not a real date/);
    expect(why('2019-02-14T10:00:00')).toMatch(/ISO 8601 with an offset/);
    expect(why('14/02/2019')).toMatch(/yyyy-MM-dd HH:mm:ss/);
    expect(why(1550102400)).toMatch(/epoch seconds/);
    expect(why(12.5)).toMatch(/must be a date/);
    expect(why(true)).toMatch(/must be a date/);
  });

  it('accepts every real plate format', () => {
    for (const plate of [
      '浙A12345', // 7 characters
      '浙AD12345', // new energy, 8 characters
      '浙A888888', // seed example
      '浙A.66666', // seed example, with a dot
      '京A·12345',
      '粤B1234学',
      '粤Z1234港',
      '粤Z1234澳',
      '沪A1234警',
      '使123456',
      '京A1234领',
      'WJ京12345',
      'VA12345', // military
      '临A12345',
      '浙A1234挂',
      '无牌车',
    ]) {
      expect(check(arrive, { ...base, car_no: plate, start_time: '2019-02-14 00:00:00' }), plate).toMatchObject({
        ok: true,
      });
    }
  });

  it('refuses empty, oversized and control-character plates', () => {
    const why = (car_no: unknown) => issues(check(arrive, { ...base, car_no, start_time: '2019-02-14 00:00:00' }));
    expect(why('')).toEqual([{ path: 'car_no', message: 'is required' }]);
    expect(why('   ')[0]?.message).toMatch(/must not be empty/);
    expect(why('浙A12345678901234567')[0]?.message).toMatch(/2 to 16 characters/);
    expect(why('浙A\u000012345')[0]?.message).toMatch(/control characters/);
    expect(why('浙A12\n345')[0]?.message).toMatch(/control characters/);
    expect(why('浙A<script>')[0]?.message).toMatch(/may hold only/);
    expect(why(12345)[0]?.message).toMatch(/plate as text/);
  });

  it('takes mall_id as a positive integer or numeric text, and keeps big ids exact', () => {
    const mall = (mall_id: unknown) => check(arrive, { ...base, mall_id, start_time: '2019-02-14 00:00:00' });
    expect(params(mall('123')).mall_id).toBe('123');
    expect(params(mall('9007199254740993')).mall_id).toBe('9007199254740993');
    expect(issues(mall(0))[0]?.message).toMatch(/must be 1 or more/);
    expect(issues(mall(-5))[0]?.message).toMatch(/must be 1 or more/);
    expect(issues(mall(1.5))[0]?.message).toMatch(/whole number/);
    expect(issues(mall('12a'))[0]?.message).toMatch(/whole number/);
    expect(issues(mall(2 ** 60))[0]?.message).toMatch(/send it as a string/);
    expect(issues(mall('9223372036854775808'))[0]?.message).toMatch(/at most 9223372036854775807/);
  });

  it('takes an 11-digit mainland mobile as number or text, and never echoes it in errors', () => {
    const phone = (mobile: unknown) => check(arrive, { ...base, mobile, start_time: '2019-02-14 00:00:00' });
    expect(params(phone('15988855789')).mobile).toBe('15988855789');
    for (const bad of ['1598885578', '25988855789', '159888557890', '+8615988855789', 1598885578]) {
      const found = issues(phone(bad));
      expect(found[0]?.path).toBe('mobile');
      expect(JSON.stringify(found)).not.toContain(String(bad));
    }
  });

  it('takes extend as an object or JSON text of one', () => {
    const ext = (extend: unknown) => check(arrive, { ...base, extend, start_time: '2019-02-14 00:00:00' });
    expect(params(ext({ key: 'value' })).extend).toBe('{"key":"value"}');
    expect(params(ext('{"key":"value"}')).extend).toBe('{"key":"value"}');
    expect(issues(ext('{not json'))[0]?.message).toMatch(/not valid JSON/);
    expect(issues(ext('[1,2]'))[0]?.message).toMatch(/JSON object/);
    expect(issues(ext(42))[0]?.message).toMatch(/JSON object/);
  });

  it('treats null and "" as absent, as the wire does', () => {
    const p = params(check(arrive, { ...base, start_time: '2019-02-14 00:00:00', coupon_id: '', mobile: null }));
    expect(p).not.toHaveProperty('coupon_id');
    expect(p).not.toHaveProperty('mobile');
  });

  it('names unknown fields and reports every problem at once', () => {
    const r = check(pay, {
      mall_id: 'abc',
      carNo: '浙A12345',
      pay_time: '2019-02-30 00:00:00',
      park_duration: -1,
      foo: 1,
    });
    expect(paths(r).sort()).toEqual(['car_no', 'carNo', 'foo', 'mall_id', 'park_duration', 'pay_time'].sort());
    expect(issues(r).find((i) => i.path === 'carNo')?.message).toMatch(/is not a field of this API.*car_no/);
  });
});

describe('PayOrderInfoDto schema', () => {
  const order = SEED_PAY_ORDER;

  it('sends the seed example as one pay_order_info_dto JSON field', () => {
    expect(params(check(payinfoSync, order))).toEqual({ pay_order_info_dto: order });
  });

  it('takes order_type 1 or 2 only', () => {
    expect(params(check(payinfoSync, { ...order, order_type: '2' })).pay_order_info_dto).toMatchObject({
      order_type: 2,
    });
    for (const order_type of [0, 3, 'refund', 1.5]) {
      expect(issues(check(payinfoSync, { ...order, order_type }))).toEqual([
        { path: 'order_type', message: 'must be 1 (payment, 缴款) or 2 (refund, 退款)' },
      ]);
    }
  });

  it('takes pay_fee as a non-negative whole number of fen', () => {
    expect(params(check(payinfoSync, { ...order, pay_fee: 0 })).pay_order_info_dto).toMatchObject({ pay_fee: 0 });
    expect(params(check(payinfoSync, { ...order, pay_fee: '1500' })).pay_order_info_dto).toMatchObject({
      pay_fee: 1500,
    });
    expect(issues(check(payinfoSync, { ...order, pay_fee: 10.5 }))[0]?.message).toMatch(/whole number.*fen/);
    expect(issues(check(payinfoSync, { ...order, pay_fee: -1 }))[0]?.message).toMatch(/0 or more/);
  });

  it('requires order_id, park_id, car_no, pay_time, order_type and pay_fee', () => {
    expect(paths(check(payinfoSync, {})).sort()).toEqual([
      'car_no',
      'order_id',
      'order_type',
      'park_id',
      'pay_fee',
      'pay_time',
    ]);
    expect(check(payinfoSync, { ...order, pay_order_id: undefined, pay_method: undefined }).ok).toBe(true);
  });
});
