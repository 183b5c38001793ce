import * as z from 'zod/mini';
import { date } from './dates.js';
import { field, integer, Problem, text, typeError } from './field.js';
import { plate } from './parking.js';

const ORDER_TYPES = 'must be 1 (payment, 缴款) or 2 (refund, 退款)';

/** `PayOrderInfoDto` of `taobao.taojie.parking.order.payinfo.sync`, sent whole as `pay_order_info_dto`. */
export const payOrderInfoSchema = z.strictObject({
  order_id: text(64),
  park_id: text(64),
  car_no: plate(),
  pay_time: date(),
  order_type: field(z.union([z.number(), z.string()], { error: typeError(ORDER_TYPES) }), (value) =>
    String(value).trim() === '1' ? 1 : String(value).trim() === '2' ? 2 : new Problem(ORDER_TYPES),
  ),
  // A JSON number inside the DTO, so it must stay exact as one.
  pay_fee: z.pipe(
    integer({ min: 0, max: BigInt(Number.MAX_SAFE_INTEGER), hint: 'the amount in fen (分): 1000 is ¥10.00' }),
    z.transform(Number),
  ),
  pay_order_id: z.optional(text(64)),
  pay_method: z.optional(text(32)),
});

export type PayOrderInfo = z.output<typeof payOrderInfoSchema>;
