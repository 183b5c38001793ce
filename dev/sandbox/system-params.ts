import { SIGN_METHODS, type SignMethod, sign, type WireParams } from '../../shared/top/sign.js';
import { formatTopTime, parseTopTime } from '../../shared/top/time.js';
import { invalidArgument, isKnownMethod, type TopError } from './envelopes.js';

/** TOP's system parameters; every other name is an application parameter. */
export const SYSTEM_PARAMS: ReadonlySet<string> = new Set([
  'method',
  'app_key',
  'timestamp',
  'v',
  'format',
  'sign_method',
  'sign',
  'session',
  'simplify',
  'partner_id',
  'target_app_key',
]);

export const MAX_SKEW_MS = 10 * 60_000;

export type SignatureVerdict = 'valid' | 'invalid' | 'missing';

const isSignMethod = (m: string | undefined): m is SignMethod => (SIGN_METHODS as readonly string[]).includes(m ?? '');

/**
 * The signature's verdict over the params the gateway kept (empty ones already dropped):
 * `missing` without `sign`; `invalid` when it cannot be checked (unknown app, bad sign_method) or differs.
 */
export function signatureVerdict(params: WireParams, apps: Record<string, string>): SignatureVerdict {
  const given = params.sign;
  if (given === undefined) return 'missing';
  const secret = lookup(apps, params.app_key);
  const method = params.sign_method;
  if (secret === undefined || !isSignMethod(method)) return 'invalid';
  return sign(params, secret, method) === given ? 'valid' : 'invalid';
}

/** Own properties only, so `app_key=constructor` is not an app. */
function lookup(apps: Record<string, string>, key: string | undefined): string | undefined {
  return key !== undefined && Object.hasOwn(apps, key) ? apps[key] : undefined;
}

const minutes = (ms: number): string => `${Math.round(ms / 6_000) / 10} minutes`;

function checkTimestamp(text: string, now: number): TopError | undefined {
  const at = parseTopTime(text);
  const nowText = formatTopTime(now);
  if (at === undefined) {
    return {
      code: 31,
      msg: 'Invalid Timestamp',
      sub_msg: `timestamp "${text}" is not a real date-time in the format yyyy-MM-dd HH:mm:ss (GMT+8), e.g. ${nowText}`,
    };
  }
  const skew = at - now;
  if (Math.abs(skew) <= MAX_SKEW_MS) return undefined;
  const hours = Math.round(Math.abs(skew) / 3600_000);
  const hint =
    hours === 8
      ? '; exactly 8 hours off: the timestamp was probably formatted in UTC or host-local time instead of GMT+8'
      : '';
  return {
    code: 31,
    msg: 'Invalid Timestamp',
    sub_msg: `timestamp ${text} is ${minutes(Math.abs(skew))} ${skew < 0 ? 'behind' : 'ahead of'} the gateway's GMT+8 time ${nowText}; at most 10 minutes of skew is accepted${hint}`,
  };
}

export interface SystemCheckContext {
  apps: Record<string, string>;
  now: number;
  signature: SignatureVerdict;
}

/**
 * TOP's system-parameter checks, in the gateway's order. `params` are the ones the gateway kept
 * (empty values dropped). Returns the first error, or undefined when the call may go on.
 */
export function checkSystemParams(params: WireParams, ctx: SystemCheckContext): TopError | undefined {
  const { method, app_key: appKey, timestamp, v, format, sign_method: signMethod } = params;
  if (method === undefined)
    return { code: 21, msg: 'Missing Method', sub_msg: 'the system parameter method is required' };
  if (!isKnownMethod(method)) {
    return {
      code: 22,
      msg: 'Invalid Method',
      sub_msg: `the sandbox does not know the method ${method}; it serves tmall.popupstore.park.backflow and taobao.taojie.parking.order.payinfo.sync`,
    };
  }
  if (appKey === undefined)
    return { code: 28, msg: 'Missing App Key', sub_msg: 'the system parameter app_key is required' };
  if (lookup(ctx.apps, appKey) === undefined) {
    return { code: 29, msg: 'Invalid App Key', sub_msg: `the sandbox knows no app with app_key ${appKey}` };
  }
  if (timestamp === undefined)
    return { code: 30, msg: 'Missing Timestamp', sub_msg: 'the system parameter timestamp is required' };
  const badTime = checkTimestamp(timestamp, ctx.now);
  if (badTime) return badTime;
  if (v === undefined) return { code: 32, msg: 'Missing Version', sub_msg: 'the system parameter v is required (2.0)' };
  if (v !== '2.0') return { code: 33, msg: 'Invalid Version', sub_msg: `v must be 2.0, got ${v}` };
  if (format !== 'json') {
    const why =
      format === undefined
        ? 'format is missing, which means xml on the real gateway'
        : format === 'xml'
          ? 'format is xml'
          : `format ${format} is neither json nor xml`;
    return { code: 23, msg: 'Invalid Format', sub_msg: `${why}; the sandbox only speaks json: send format=json` };
  }
  if (!isSignMethod(signMethod)) {
    return {
      code: 25,
      msg: 'Invalid Signature',
      sub_msg: `${signMethod === undefined ? 'sign_method is missing' : `sign_method ${signMethod} is not supported`}; use md5, hmac or hmac-sha256`,
    };
  }
  if (ctx.signature === 'missing')
    return { code: 24, msg: 'Missing Signature', sub_msg: 'the system parameter sign is required' };
  if (ctx.signature === 'invalid') {
    const keys = Object.keys(params)
      .filter((k) => k !== 'sign')
      .sort();
    return {
      code: 25,
      msg: 'Invalid Signature',
      sub_msg: `the signature does not match: the gateway signed ${keys.join(',')} (ordinal order, empty values dropped, sign excluded) with ${signMethod}; expected uppercase hex`,
    };
  }
  if (params.simplify !== undefined && params.simplify !== 'false') {
    return invalidArgument(
      'simplify',
      'the sandbox answers only the full (non-simplified) json envelope; leave simplify out',
    );
  }
  return undefined;
}
