import { type SignMethod, sign, type WireParams } from './sign.js';
import { formatTopTime } from './time.js';

export interface TopCredentials {
  appKey: string;
  appSecret: string;
  signMethod: SignMethod;
  session?: string | undefined;
  partnerId?: string | undefined;
  simplify?: boolean | undefined;
}

/** An application parameter before it is put on the wire. */
export type ParamValue = string | number | boolean | Date | null | undefined | object;

const snakeCase = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Object params travel as one JSON field: snake_case keys, nulls omitted, dates in TOP's format. */
export function jsonValue(value: unknown): unknown {
  if (value instanceof Date) return formatTopTime(value.getTime());
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v != null) out[snakeCase(key)] = jsonValue(v);
  return out;
}

/** The text a value goes on the wire as; undefined for values that are neither signed nor sent. */
export function wireValue(value: ParamValue): string | undefined {
  if (value == null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return formatTopTime(value.getTime());
  return JSON.stringify(jsonValue(value));
}

function toWire(params: Record<string, ParamValue>): WireParams {
  const out: WireParams = {};
  for (const key in params) {
    const text = wireValue(params[key]);
    if (text !== undefined) out[key] = text;
  }
  return out;
}

export interface SignedRequest {
  /** System parameters, URL-encoded, for the query string. */
  query: string;
  /** Application parameters, form-urlencoded, for the body. */
  body: string;
  /** Everything that was signed, sign included: what the gateway sees. */
  params: WireParams;
}

/** `application/x-www-form-urlencoded`, as TOP reads it (a space may be `%20` or `+`). */
function formEncode(params: WireParams): string {
  let out = '';
  for (const key in params)
    out += `${out ? '&' : ''}${encodeURIComponent(key)}=${encodeURIComponent(params[key] as string)}`;
  return out;
}

/** A signed `router/rest` request: system params in the query, application params in the body. */
export function buildRequest(
  creds: TopCredentials,
  method: string,
  appParams: Record<string, ParamValue>,
  now: number = Date.now(),
): SignedRequest {
  const system = toWire({
    method,
    app_key: creds.appKey,
    timestamp: formatTopTime(now),
    v: '2.0',
    format: 'json',
    sign_method: creds.signMethod,
    session: creds.session,
    partner_id: creds.partnerId,
    simplify: creds.simplify || undefined,
  });
  const app = toWire(appParams);
  // Object.assign, not spread: V8 copies a second spread property by property, several µs a call.
  const params = Object.assign({}, app, system);
  params.sign = system.sign = sign(params, creds.appSecret, creds.signMethod);
  return { query: formEncode(system), body: formEncode(app), params };
}
