import { jsonTextIssue } from './json-text.js';
import { invalid, type Outcome } from './outcome.js';

/** Parking events are a few hundred bytes; anything near this is a mistake or an attack. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The answer to a body over MAX_BODY_BYTES, however it arrived. */
export const bodyTooLarge = (): Outcome => invalid(`The body is larger than ${MAX_BODY_BYTES / 1024} KB.`);

/** Reads an event body as a JSON object, or says exactly what is wrong with it. */
export function parseBody(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; outcome: Outcome } {
  const fail = (message: string) => ({ ok: false as const, outcome: invalid(message) });
  // A UTF-16 unit is at most 3 UTF-8 bytes: only a text over a third of the limit needs counting.
  if (text.length > MAX_BODY_BYTES / 3 && Buffer.byteLength(text) > MAX_BODY_BYTES)
    return { ok: false, outcome: bodyTooLarge() };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (text.trim() === '') return fail('The body is empty: send the event as a JSON object.');
    // V8's message quotes the input, which may hold personal data; keep only where it broke.
    const at = /position (\d+)/.exec(String((err as Error).message));
    return fail(`The body is not valid JSON${at ? ` (error at position ${at[1]})` : ''}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('The body must be a JSON object of the API fields.');
  }
  const issue = jsonTextIssue(text);
  if (issue)
    return { ok: false, outcome: invalid('The body cannot be read as one event; nothing was sent to TOP.', [issue]) };
  return { ok: true, value: value as Record<string, unknown> };
}
