import type { WireParams } from '../../shared/top/sign.js';
import { parseTopTime } from '../../shared/top/time.js';
import { BACKFLOW, invalidArgument, type KnownMethod, missingArgument, PAYINFO, type TopError } from './envelopes.js';
import { SYSTEM_PARAMS } from './system-params.js';

/** Application-parameter checks for the two methods, from the seed tables, stricter than TOP. */

type FieldType = 'String' | 'Number' | 'Date' | 'Json';

interface FieldSpec {
  name: string;
  type: FieldType;
  required?: boolean;
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** What is wrong with one text value of the given TOP type, or undefined. */
function typeProblem(name: string, type: FieldType, value: string): string | undefined {
  switch (type) {
    case 'String':
      return undefined;
    case 'Number': {
      if (!/^-?\d+$/.test(value)) return `${name} must be an integer (Number), got "${value}"`;
      const n = BigInt(value);
      return n < LONG_MIN || n > LONG_MAX ? `${name} is out of the 64-bit integer range: ${value}` : undefined;
    }
    case 'Date':
      return parseTopTime(value) === undefined
        ? `${name} must be a real date-time formatted yyyy-MM-dd HH:mm:ss (GMT+8), got "${value}"`
        : undefined;
    case 'Json': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        return `${name} must be JSON text of an object, got text that is not JSON: ${value.slice(0, 60)}`;
      }
      return isObject(parsed) ? undefined : `${name} must be JSON text of an object, got ${describe(parsed)}`;
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const describe = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'an array'
      : typeof v === 'string'
        ? `the string ${JSON.stringify(v)}`
        : `${typeof v} ${String(v)}`;

/** Application params (everything that is not a system param) not in `known`, in the order received. */
function unknownParams(params: WireParams, known: ReadonlySet<string>): TopError | undefined {
  const unknown = Object.keys(params).filter((k) => !SYSTEM_PARAMS.has(k) && !known.has(k));
  if (unknown.length === 0) return undefined;
  return invalidArgument(
    unknown.join(','),
    `unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; this method takes ${[...known].join(', ')}`,
  );
}

function firstMissing(names: string[], has: (name: string) => boolean, why: string): TopError | undefined {
  const missing = names.filter((n) => !has(n));
  const first = missing[0];
  if (first === undefined) return undefined;
  return missingArgument(first, `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required${why}`);
}

// tmall.popupstore.park.backflow, in the seed's table order.
const BACKFLOW_FIELDS: FieldSpec[] = [
  { name: 'start_time', type: 'Date' },
  { name: 'car_type', type: 'String' },
  { name: 'car_no', type: 'String', required: true },
  { name: 'extend', type: 'Json' },
  { name: 'user_nick', type: 'String' },
  { name: 'action', type: 'String', required: true },
  { name: 'mall_id', type: 'Number', required: true },
  { name: 'end_time', type: 'Date' },
  { name: 'pay_time', type: 'Date' },
  { name: 'mobile', type: 'Number' },
  { name: 'coupon_id', type: 'String' },
  { name: 'park_duration', type: 'Number' },
];
const BACKFLOW_NAMES: ReadonlySet<string> = new Set(BACKFLOW_FIELDS.map((f) => f.name));

/** What each action additionally requires (the seed's "action为…时必填"). */
export const ACTION_REQUIRES: Readonly<Record<string, string[]>> = {
  arrive: ['start_time'],
  leave: ['end_time'],
  pay: ['pay_time', 'park_duration'],
};

function checkBackflow(params: WireParams): TopError | undefined {
  const has = (n: string): boolean => params[n] !== undefined;
  const unknown = unknownParams(params, BACKFLOW_NAMES);
  if (unknown) return unknown;
  const required = BACKFLOW_FIELDS.filter((f) => f.required).map((f) => f.name);
  const missing = firstMissing(required, has, '');
  if (missing) return missing;
  const action = params.action ?? '';
  const needs = Object.hasOwn(ACTION_REQUIRES, action) ? ACTION_REQUIRES[action] : undefined;
  if (!needs) return invalidArgument('action', `action must be arrive, leave or pay, got "${action}"`);
  const missingForAction = firstMissing(needs, has, ` when action is ${action}`);
  if (missingForAction) return missingForAction;
  for (const field of BACKFLOW_FIELDS) {
    const value = params[field.name];
    if (value === undefined) continue;
    const problem = typeProblem(field.name, field.type, value);
    if (problem) return invalidArgument(field.name, problem);
  }
  return undefined;
}

// taobao.taojie.parking.order.payinfo.sync: one object param, PayOrderInfoDto, in the seed's order.
const DTO = 'pay_order_info_dto';
const DTO_FIELDS: FieldSpec[] = [
  { name: 'pay_order_id', type: 'String' },
  { name: 'pay_method', type: 'String' },
  { name: 'car_no', type: 'String', required: true },
  { name: 'order_id', type: 'String', required: true },
  { name: 'park_id', type: 'String', required: true },
  { name: 'pay_time', type: 'Date', required: true },
  { name: 'order_type', type: 'Number', required: true },
  { name: 'pay_fee', type: 'Number', required: true },
];
const DTO_NAMES: ReadonlySet<string> = new Set(DTO_FIELDS.map((f) => f.name));
const PAYINFO_NAMES: ReadonlySet<string> = new Set([DTO]);

/** One DTO member: strings must be JSON strings, numbers JSON integers, dates TOP date strings. */
function dtoProblem(field: FieldSpec, value: unknown): string | undefined {
  const path = `${DTO}.${field.name}`;
  switch (field.type) {
    case 'String':
      return typeof value === 'string' ? undefined : `${path} must be a string, got ${describe(value)}`;
    case 'Date':
      if (typeof value !== 'string')
        return `${path} must be a date-time string yyyy-MM-dd HH:mm:ss (GMT+8), got ${describe(value)}`;
      return typeProblem(path, 'Date', value);
    case 'Number': {
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        return `${path} must be a JSON integer, got ${describe(value)}`;
      if (field.name === 'order_type' && value !== 1 && value !== 2)
        return `${path} must be 1 (payment) or 2 (refund), got ${value}`;
      return undefined;
    }
    case 'Json':
      return undefined;
  }
}

function checkPayinfo(params: WireParams): TopError | undefined {
  const unknown = unknownParams(params, PAYINFO_NAMES);
  if (unknown) return unknown;
  const text = params[DTO];
  if (text === undefined) {
    return missingArgument(
      DTO,
      `${DTO} is required: the sandbox treats it as required, since every member that matters is`,
    );
  }
  const problem = typeProblem(DTO, 'Json', text);
  if (problem) return invalidArgument(DTO, problem);
  const dto = JSON.parse(text) as Record<string, unknown>;
  // JSON null is an absent member, as for TOP's Java deserialiser.
  const has = (n: string): boolean => Object.hasOwn(dto, n) && dto[n] !== null && dto[n] !== '';
  const extra = Object.keys(dto).filter((k) => !DTO_NAMES.has(k));
  if (extra.length > 0) {
    const paths = extra.map((k) => `${DTO}.${k}`);
    return invalidArgument(
      paths.join(','),
      `unknown member${extra.length > 1 ? 's' : ''} ${paths.join(', ')}; PayOrderInfoDto has ${[...DTO_NAMES].join(', ')}`,
    );
  }
  const required = DTO_FIELDS.filter((f) => f.required).map((f) => f.name);
  const missing = required.filter((n) => !has(n));
  const first = missing[0];
  if (first !== undefined) {
    const paths = missing.map((n) => `${DTO}.${n}`);
    return missingArgument(`${DTO}.${first}`, `${paths.join(', ')} ${paths.length > 1 ? 'are' : 'is'} required`);
  }
  for (const field of DTO_FIELDS) {
    if (!Object.hasOwn(dto, field.name) || dto[field.name] === null) continue;
    const fieldProblem = dtoProblem(field, dto[field.name]);
    if (fieldProblem) return invalidArgument(`${DTO}.${field.name}`, fieldProblem);
  }
  return undefined;
}

const CHECKS: Record<KnownMethod, (params: WireParams) => TopError | undefined> = {
  [BACKFLOW]: checkBackflow,
  [PAYINFO]: checkPayinfo,
};

/** The application-parameter check of a known method: the first problem, or undefined. */
export function checkAppParams(method: KnownMethod, params: WireParams): TopError | undefined {
  return CHECKS[method](params);
}
