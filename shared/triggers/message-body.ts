import { invalid, type Outcome } from '../outcome.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A record's body as text, or why there is none to read (the record is then refused as invalid). */
export interface BodyText {
  body: string;
  refused?: Outcome;
}

/** Strict base64, since Buffer.from skips whatever is not base64 and decodes the rest. */
export function base64Bytes(text: string): Buffer | undefined {
  const trimmed = text.trim();
  return trimmed.length % 4 === 0 && BASE64.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
}

/** UTF-8 text; other bytes are refused rather than read with U+FFFD slipped into the event. */
export function textOf(bytes: Buffer): BodyText {
  try {
    return { body: UTF8.decode(bytes) };
  } catch {
    return { body: '', refused: invalid('The body is not UTF-8 text: send the event as JSON encoded in UTF-8.') };
  }
}

/** An event that arrived as a value (a direct invocation, an unknown queue source), as JSON text to validate. */
export function jsonOf(value: unknown): BodyText {
  try {
    return { body: JSON.stringify(value) ?? '' };
  } catch {
    // JSON.stringify recurses: a value nested thousands deep overflows the stack.
    return { body: '', refused: invalid('The event is nested too deeply to read.') };
  }
}

/**
 * MNS carries a message body as sent or base64-encoded (the console and the older SDKs encode by
 * default): a body that is not JSON text but decodes to JSON text is taken decoded.
 */
export function plainOrBase64(text: string): string {
  if (text.trimStart().startsWith('{')) return text;
  const bytes = base64Bytes(text);
  const decoded = bytes && textOf(bytes);
  return decoded && !decoded.refused && decoded.body.trimStart().startsWith('{') ? decoded.body : text;
}
