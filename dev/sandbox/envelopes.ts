import { randomBytes } from 'node:crypto';

/** A TOP error, as it goes inside `error_response`. */
export interface TopError {
  code: number;
  msg: string;
  sub_code?: string;
  sub_msg?: string;
}

export interface ErrorEnvelope {
  error_response: TopError & { request_id: string };
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A random request id shaped like real TOP's (12 lowercase base-36 characters, e.g. `3fjx2t8z0mq9`). */
export function requestId(): string {
  let id = '';
  for (const byte of randomBytes(12)) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

export function errorEnvelope(error: TopError, id: string = requestId()): ErrorEnvelope {
  return { error_response: { ...error, request_id: id } };
}

/** Code 40, naming the first missing argument; `detail` may name the others. */
export function missingArgument(name: string, detail?: string): TopError {
  return {
    code: 40,
    msg: `Missing required arguments:${name}`,
    sub_code: `isv.missing-parameter:${name}`,
    sub_msg: detail ?? `${name} is required`,
  };
}

/** Code 41, naming the argument and saying what is wrong with it. */
export function invalidArgument(name: string, problem: string): TopError {
  return { code: 41, msg: `Invalid arguments:${name}`, sub_code: `isv.invalid-parameter:${name}`, sub_msg: problem };
}

/** The two methods the product implements, with their seed-shaped answers. */
export const BACKFLOW = 'tmall.popupstore.park.backflow';
export const PAYINFO = 'taobao.taojie.parking.order.payinfo.sync';
export type KnownMethod = typeof BACKFLOW | typeof PAYINFO;

export const isKnownMethod = (method: string | undefined): method is KnownMethod =>
  method === BACKFLOW || method === PAYINFO;

/** The seeds' success answers: `result_dto.success/data` and `result.success/model` all true. */
export function successEnvelope(method: KnownMethod, id: string = requestId()): Record<string, unknown> {
  return method === BACKFLOW
    ? { tmall_popupstore_park_backflow_response: { result_dto: { success: true, data: true }, request_id: id } }
    : { taojie_parking_order_payinfo_sync_response: { result: { success: true, model: true }, request_id: id } };
}

/** The same envelope saying the data was not taken: HTTP 200, no error_response, success false. */
export function businessFailureEnvelope(method: KnownMethod, id: string = requestId()): Record<string, unknown> {
  return method === BACKFLOW
    ? {
        tmall_popupstore_park_backflow_response: {
          result_dto: {
            success: false,
            data: false,
            error_code: '-1',
            error_message: 'Sandbox business failure: the mall did not accept the parking record',
          },
          request_id: id,
        },
      }
    : {
        taojie_parking_order_payinfo_sync_response: {
          result: {
            success: false,
            model: false,
            code: '500',
            message: 'Sandbox business failure: the pay order was not synced',
          },
          request_id: id,
        },
      };
}
