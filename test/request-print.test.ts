import { describe, expect, it } from 'vitest';
import { differingFields, requestPrint } from '../shared/idempotency/request-print.js';

describe('the print of a request kept with its delivery', () => {
  it('is the same for values that go on the wire alike', () => {
    const a = requestPrint({ car_no: '浙A12345', start_time: new Date('2026-11-22T02:00:00Z') });
    const b = requestPrint({ car_no: '浙A12345', start_time: '2026-11-22 10:00:00' });
    expect(b).toEqual(a);
  });

  it('tells apart requests whose values would read alike run together', () => {
    const a = requestPrint({ a: 'x;b=y' });
    const b = requestPrint({ a: 'x', b: 'y' });
    expect(a.hash).not.toBe(b.hash);
    expect(differingFields(a, b)).toEqual(['a', 'b']);
  });

  it('names the differing fields of an object param by path, and keeps no value', () => {
    const order = { order_id: 'BK1', pay_fee: 1000, car_no: '浙A888888' };
    const a = requestPrint({ pay_order_info_dto: order });
    const b = requestPrint({ pay_order_info_dto: { ...order, pay_fee: 1200 } });
    expect(a.hash).not.toBe(b.hash);
    expect(differingFields(a, b)).toEqual(['pay_order_info_dto.pay_fee']);
    expect(JSON.stringify(a)).not.toMatch(/BK1|1000|浙A888888/);
  });
});
