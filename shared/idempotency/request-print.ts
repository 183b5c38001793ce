import { hash } from 'node:crypto';
import { jsonValue, type ParamValue, wireValue } from '../top/params.js';

/**
 * What the store keeps of a request that was sent: a hash of each field's value as it went on the
 * wire, and one of them all. It tells a true copy of an event from one that differs, and names the
 * fields that differ, without keeping a value.
 */
export interface RequestPrint {
  hash: string;
  fields: Record<string, string>;
}

const digest = (text: string) => hash('sha256', text, 'hex').slice(0, 16);

/** Every leaf of a JSON value, by its path (`pay_order_info_dto.pay_time`), with its print. */
function leaves(path: string, value: unknown, out: Record<string, string>): void {
  if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) leaves(`${path}.${key}`, v, out);
  } else {
    // As the JSON text would read it back: an array's undefined is a null.
    out[path] = digest(`${path}=${JSON.stringify(value) ?? 'null'}`);
  }
}

/** Prints the normalised request params: values that go on the wire alike (two formats of one time) print alike. */
export function requestPrint(params: Record<string, ParamValue>): RequestPrint {
  const fields: Record<string, string> = {};
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    // An object param travels as JSON text: its own fields are named, so a difference can be. The
    // JSON value is walked as it is, not written out and parsed back: this runs for every event.
    if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
      leaves(name, jsonValue(value), fields);
      continue;
    }
    const text = wireValue(value);
    if (text !== undefined) fields[name] = digest(`${name}=${text}`);
  }
  return { hash: digest(Object.entries(fields).join(';')), fields };
}

/** The names of the fields that one print has and the other lacks or holds another value in. */
export function differingFields(a: RequestPrint, b: RequestPrint): string[] {
  const names = new Set([...Object.keys(a.fields), ...Object.keys(b.fields)]);
  return [...names].filter((name) => a.fields[name] !== b.fields[name]).sort();
}
