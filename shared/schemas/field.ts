import * as z from 'zod/mini';

/** A reading that failed, with the words an ISV engineer needs to fix it. */
export class Problem {
  constructor(readonly message: string) {}
}

/** A field read by a plain function after a base type check: `read` returns the value or a Problem. */
export function field<I extends z.ZodMiniType, O>(input: I, read: (value: z.output<I>) => O | Problem) {
  return z.pipe(
    input,
    z.transform((value: z.output<I>, ctx) => {
      const out = read(value);
      if (!(out instanceof Problem)) return out;
      ctx.issues.push({ code: 'custom', message: out.message, input: value });
      return z.NEVER;
    }),
  );
}

/** The message for a value of the wrong type, or a plain "is required" when it is missing. */
export const typeError =
  (expected: string, required = 'is required') =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? required : expected;

const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /\p{Cs}/u;

/** Free text: trimmed, not empty, bounded, no control characters. */
export const text = (max: number) =>
  field(z.string({ error: typeError('must be text') }), (value) => {
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
 * A whole number given as a JSON number or as digits. Beyond 2^53 a JSON number has already lost
 * digits when it reaches us, so such values must come as text; they are sent as text either way.
 */
export const integer = (opts: { min: number; max?: bigint; hint: string; required?: string }) =>
  field(
    z.union([z.number(), z.string()], { error: typeError(`must be a whole number (${opts.hint})`, opts.required) }),
    (value): string | Problem => {
      let n: bigint;
      if (typeof value === 'number') {
        if (!Number.isInteger(value)) return new Problem(`must be a whole number (${opts.hint})`);
        if (!Number.isSafeInteger(value)) {
          return new Problem('is too large to travel exactly as a JSON number; send it as a string of digits');
        }
        n = BigInt(value);
      } else {
        const digits = value.trim();
        if (!DIGITS.test(digits)) return new Problem(`must be a whole number (${opts.hint})`);
        n = BigInt(digits);
      }
      if (n < BigInt(opts.min)) return new Problem(`must be ${opts.min} or more (${opts.hint})`);
      if (opts.max !== undefined && n > opts.max) return new Problem(`must be at most ${opts.max} (${opts.hint})`);
      return n.toString();
    },
  );
