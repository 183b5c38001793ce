import * as z from 'zod/mini';

/** A reading that failed, with the words an ISV engineer needs to fix it. */
export class Problem {
  constructor(readonly message: string) {}
}

/**
 * A field read by one plain function from the JSON value as sent: `read` returns what goes to TOP,
 * or a Problem. One zod step per field (no union or pipe around it) keeps validation cheap, and the
 * messages are ours. A field left out is `required`'s problem, unless wrapped in z.optional.
 */
export function field<O>(read: (value: unknown) => O | Problem, required = 'is required') {
  return z.transform((value: unknown, ctx): O => {
    const out = value === undefined ? new Problem(required) : read(value);
    if (!(out instanceof Problem)) return out;
    ctx.issues.push({ code: 'custom', message: out.message, input: value });
    return z.NEVER;
  });
}

const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /\p{Cs}/u;

/** Free text: trimmed, not empty, bounded, no control characters. */
export const text = (max: number) =>
  field((value) => {
    if (typeof value !== 'string') return new Problem('must be text');
    const trimmed = value.trim();
    if (trimmed === '') return new Problem('must not be empty');
    if ([...trimmed].length > max) return new Problem(`must be at most ${max} characters`);
    if (CONTROL.test(trimmed)) return new Problem('must not contain control characters (line breaks, tabs, NUL)');
    // A lone surrogate (JSON's "\ud800") has no UTF-8 form: it would reach TOP as U+FFFD.
    if (LONE_SURROGATE.test(trimmed)) return new Problem('must be valid Unicode text (it holds a lone surrogate)');
    return trimmed;
  });

const DIGITS = /^\d+$/;

/**
 * A whole number given as a JSON number or as digits, read to its digits. Beyond 2^53 a JSON number
 * has already lost digits when it reaches us, so such values must come as text.
 */
export const readInteger =
  (opts: { min: number; max?: bigint; hint: string }) =>
  (value: unknown): string | Problem => {
    const wrong = () => new Problem(`must be a whole number (${opts.hint})`);
    let n: bigint;
    if (typeof value === 'number') {
      if (!Number.isInteger(value)) return wrong();
      if (!Number.isSafeInteger(value)) {
        return new Problem('is too large to travel exactly as a JSON number; send it as a string of digits');
      }
      n = BigInt(value);
    } else if (typeof value === 'string') {
      const digits = value.trim();
      if (!DIGITS.test(digits)) return wrong();
      n = BigInt(digits);
    } else return wrong();
    if (n < BigInt(opts.min)) return new Problem(`must be ${opts.min} or more (${opts.hint})`);
    if (opts.max !== undefined && n > opts.max) return new Problem(`must be at most ${opts.max} (${opts.hint})`);
    return n.toString();
  };

/** A whole number, sent as text either way: TOP's Number fields are Java Longs. */
export const integer = (opts: { min: number; max?: bigint; hint: string; required?: string }) =>
  field(readInteger(opts), opts.required);
