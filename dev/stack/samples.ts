/** Realistic events for each function, and broken ones that show the errors. */
import type { FunctionName } from '../../shared/registry.js';

type Body = Record<string, unknown>;

/**
 * Each sample carries the time it is sent (epoch ms, which the functions accept), so that sending
 * one again is a new event rather than a duplicate of the last.
 */
const VALID: Record<FunctionName, (now: number) => Body> = {
  arrive: (now) => ({ mall_id: 123, car_no: '浙A12345', start_time: now, car_type: '小型车', mobile: '15988855789' }),
  leave: (now) => ({ mall_id: 123, car_no: '浙A12345', end_time: now }),
  pay: (now) => ({ mall_id: 123, car_no: '浙A12345', pay_time: now, park_duration: 145, coupon_id: 'C2026' }),
  'payinfo-sync': (now) => ({
    order_id: `BK${now}`,
    park_id: 'p123456',
    car_no: '浙A12345',
    pay_time: now,
    order_type: 1,
    pay_fee: 1000,
    pay_method: 'WX',
  }),
};

const INVALID: Record<FunctionName, Body> = {
  arrive: { mall_id: 0, car_no: '浙A12345', start_time: '2026-02-30 10:00:00', carNo: '浙A12345' },
  leave: { mall_id: 123, car_no: 'X', end_time: 'yesterday' },
  pay: { mall_id: 123, car_no: '浙A12345', pay_time: '2026-11-22 12:25:00', park_duration: -5 },
  'payinfo-sync': { order_id: 'BK1', park_id: 'p123456', car_no: '浙A12345', pay_time: 0, order_type: 3, pay_fee: 9.5 },
};

export function sample(name: FunctionName, options: { invalid?: boolean; now?: number } = {}): Body {
  return options.invalid ? INVALID[name] : VALID[name](options.now ?? Date.now());
}

/** Stands for the time in a printed curl, replaced by the shell's current time in epoch ms. */
const NOW_MARK = 9_999_999_999_999;

/** A curl that posts the sample, with the time filled in by the shell each time it is run. */
export function curlFor(functionsUrl: string, name: FunctionName): string {
  const body = JSON.stringify(sample(name, { now: NOW_MARK })).replaceAll(String(NOW_MARK), `'"$(date +%s000)"'`);
  return `curl -X POST ${functionsUrl}/${name} -H 'content-type: application/json' -d '${body}'`;
}
