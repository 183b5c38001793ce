import * as z from 'zod/mini';
import { date } from '../schemas/dates.js';
import { field, Problem, readInteger, text } from '../schemas/field.js';
import { plate } from '../schemas/parking.js';
import { defineApi } from './api.js';

const ORDER_TYPES = 'must be 1 (payment, 缴款) or 2 (refund, 退款)';

const readFee = readInteger({
  min: 0,
  max: BigInt(Number.MAX_SAFE_INTEGER),
  hint: 'the amount in fen (分): 1000 is ¥10.00',
});

/** `PayOrderInfoDto` of `taobao.taojie.parking.order.payinfo.sync`, sent whole as `pay_order_info_dto`. */
const payOrderInfoSchema = z.strictObject({
  order_id: text(64),
  park_id: text(64),
  car_no: plate(),
  pay_time: date(),
  order_type: field((value) => {
    const text = typeof value === 'number' || typeof value === 'string' ? String(value).trim() : '';
    return text === '1' ? 1 : text === '2' ? 2 : new Problem(ORDER_TYPES);
  }),
  // A JSON number inside the DTO, so it must stay exact as one.
  pay_fee: field((value) => {
    const fen = readFee(value);
    return fen instanceof Problem ? fen : Number(fen);
  }),
  pay_order_id: z.optional(text(64)),
  pay_method: z.optional(text(32)),
});

/** The `payinfo-sync` function. */
export const payinfoSync = defineApi({
  name: 'payinfo-sync',
  method: 'taobao.taojie.parking.order.payinfo.sync',
  resultField: 'result',
  schema: payOrderInfoSchema,
  toParams: (input) => ({ pay_order_info_dto: input }),
  identity: (input) => [input.order_id, input.pay_order_id, input.order_type],
});
