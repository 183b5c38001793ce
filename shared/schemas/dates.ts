import { formatTopTime, parseTopTime } from '../top/time.js';
import { field, Problem } from './field.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;
/** Epoch ms before this are taken for a mistake (most often epoch seconds). */
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const LATEST_MS = Date.UTC(2100, 0, 1);

const FORMATS = 'use "yyyy-MM-dd HH:mm:ss" (China time), ISO 8601 with an offset, or epoch milliseconds';

function parseIso(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone = 'Z'] = m;
  const local = parseTopTime(`${y}-${mo}-${d} ${h}:${mi}:${s.padStart(2, '0')}`);
  if (local === undefined) return undefined;
  // parseTopTime read the wall clock as GMT+8; move it to the offset the text names.
  let offsetMin = 0;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  return local + 8 * 3600_000 - offsetMin * 60_000 + Math.floor(Number(`0.${frac}`) * 1000);
}

function readDate(value: unknown): number | Problem {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return new Problem(`must be a date: ${FORMATS}`);
    if (value >= EARLIEST_MS / 1000 && value < LATEST_MS / 1000) {
      return new Problem('looks like epoch seconds; send epoch milliseconds (or "yyyy-MM-dd HH:mm:ss")');
    }
    if (value < EARLIEST_MS || value >= LATEST_MS) return new Problem('must be a date between 2000 and 2100');
    return value;
  }
  if (typeof value !== 'string') return new Problem(`must be a date: ${FORMATS}`);
  const text = value.trim();
  const ms = text.includes('T') ? parseIso(text) : parseTopTime(text);
  if (ms === undefined) {
    return new Problem(
      /^\d{4}-\d{2}-\d{2}/.test(text) && (ISO.test(text) || /^\S+ \S+$/.test(text))
        ? 'is not a real date and time (check the day of the month and the hour)'
        : `must be a date: ${FORMATS}`,
    );
  }
  if (ms < EARLIEST_MS || ms >= LATEST_MS) return new Problem('must be a date between 2000 and 2100');
  return ms;
}

/** A date in any accepted form, read to TOP's `yyyy-MM-dd HH:mm:ss` GMT+8, which sorts as it compares. */
export const date = (required = 'is required') =>
  field((value) => {
    const ms = readDate(value);
    return ms instanceof Problem ? ms : formatTopTime(ms);
  }, required);
