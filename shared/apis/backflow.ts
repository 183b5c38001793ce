import * as z from 'zod/mini';
import { date } from '../schemas/dates.js';
import { integer, text } from '../schemas/field.js';
import { JAVA_LONG_MAX, jsonObject, mallId, mobile, plate } from '../schemas/parking.js';
import { defineApi } from './api.js';

const ACTIONS = ['arrive', 'leave', 'pay'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * `tmall.popupstore.park.backflow` for one action: the field table of the API document, with the
 * action's own requirements (start_time to arrive, end_time to leave, pay_time and park_duration
 * to pay) made required fields of that function.
 */
function backflowSchema(action: Action) {
  const required = `is required when action is ${action}`;
  const time = (requiredFor: Action) => (requiredFor === action ? date(required) : z.optional(date()));
  const minutes = { min: 0, max: JAVA_LONG_MAX, hint: 'minutes parked', required };
  return z
    .strictObject({
      // Filled in when left out: the action travels to TOP as a field of its own.
      action: z._default(
        z.literal(action, { error: `must be "${action}" (this is the ${action} function), or left out` }),
        action,
      ),
      mall_id: mallId(),
      car_no: plate(),
      start_time: time('arrive'),
      end_time: time('leave'),
      pay_time: time('pay'),
      park_duration: action === 'pay' ? integer(minutes) : z.optional(integer(minutes)),
      car_type: z.optional(text(64)),
      user_nick: z.optional(text(64)),
      mobile: z.optional(mobile()),
      coupon_id: z.optional(text(64)),
      extend: z.optional(jsonObject()),
    })
    .check(
      z.superRefine((value, ctx) => {
        if (value.start_time && value.end_time && value.end_time < value.start_time) {
          ctx.issues.push({
            code: 'custom',
            path: ['end_time'],
            message: 'must not be before start_time',
            input: value.end_time,
          });
        }
      }),
    );
}

/** The time that makes an arrival, exit or payment of one car at one mall a distinct event. */
const EVENT_TIME = { arrive: 'start_time', leave: 'end_time', pay: 'pay_time' } as const;

/** The `arrive`, `leave` and `pay` functions. */
export const backflow = (action: Action) =>
  defineApi({
    name: action,
    method: 'tmall.popupstore.park.backflow',
    resultField: 'result_dto',
    schema: backflowSchema(action),
    toParams: (input) => input,
    identity: (input) => [action, input.mall_id, input.car_no, input[EVENT_TIME[action]]],
  });
