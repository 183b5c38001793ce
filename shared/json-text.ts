import type { InputIssue } from './schemas/issues.js';

/** Far deeper than any parking event, and well within what JSON.stringify can recurse through. */
const MAX_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * What JSON.parse lets through but an event must not have: a key given twice in one object
 * (JSON.parse keeps the last, other readers the first, so two `car_no` could report another car
 * than the one checked), or nesting deeper than MAX_DEPTH. `text` must be valid JSON.
 */
export function jsonTextIssue(text: string): InputIssue | undefined {
  // One entry per open object or array: an object's keys so far, and the key being read.
  const open: { keys?: Set<string>; key?: string }[] = [];
  const path = () =>
    open
      .map((o) => o.key)
      .filter((k) => k !== undefined)
      .join('.');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      open.push(c === 0x7b ? { keys: new Set() } : {});
      if (open.length > MAX_DEPTH) return { path: '', message: `is nested deeper than ${MAX_DEPTH} levels` };
    } else if (c === 0x7d || c === 0x5d) {
      open.pop();
    } else if (c === QUOTE) {
      let end = i + 1;
      while (text.charCodeAt(end) !== QUOTE) end += text.charCodeAt(end) === BACKSLASH ? 2 : 1;
      let next = end + 1;
      while (isSpace(text.charCodeAt(next))) next++;
      const top = open.at(-1);
      if (top?.keys && text.charCodeAt(next) === 0x3a) {
        // Decoded, so that "car_no" and "car\u005fno" are the same key, as they are to JSON.parse.
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        top.key = key;
        if (top.keys.has(key)) return { path: path(), message: 'is given more than once; send each field once' };
        top.keys.add(key);
      }
      i = end;
    }
  }
  return undefined;
}
