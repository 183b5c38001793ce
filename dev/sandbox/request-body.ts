import type { IncomingMessage } from 'node:http';

/** One name=value pair as received, in order. */
export type Field = [name: string, value: string];

export type ParseResult = { ok: true; fields: Field[] } | { ok: false; problem: string };

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/** Reads the whole body, refusing more than `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(`request body larger than ${limit} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * `a=1&b=%E6%B5%99` as UTF-8 form encoding (`+` is a space). Stricter than URLSearchParams:
 * bytes that are not UTF-8 (a GBK-encoded body, say) are a problem, not replacement characters.
 */
export function parseUrlEncoded(text: string, where: string): ParseResult {
  const fields: Field[] = [];
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    try {
      fields.push([
        decodeURIComponent(rawName.replaceAll('+', ' ')),
        decodeURIComponent(rawValue.replaceAll('+', ' ')),
      ]);
    } catch {
      return {
        ok: false,
        problem: `the ${where} has a parameter that is not valid UTF-8 percent-encoding: ${pair.slice(0, 60)}`,
      };
    }
  }
  return { ok: true, fields };
}

interface MediaType {
  type: string;
  params: Record<string, string>;
}

/** `multipart/form-data; boundary="x"` → type and lower-cased parameter names. */
export function parseMediaType(header: string): MediaType {
  const [type = '', ...rest] = header.split(';');
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    params[part.slice(0, eq).trim().toLowerCase()] = value;
  }
  return { type: type.trim().toLowerCase(), params };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** Simple text fields of a multipart/form-data body (RFC 7578). File parts are refused. */
export function parseMultipart(body: Buffer, boundary: string): ParseResult {
  const fail = (problem: string): ParseResult => ({
    ok: false,
    problem: `malformed multipart/form-data body: ${problem}`,
  });
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // With a CRLF in front, the first delimiter looks like every other one.
  const data = Buffer.concat([CRLF, body]);
  let at = data.indexOf(delimiter);
  if (at < 0) return fail(`no part starts with the boundary "${boundary}"`);
  const fields: Field[] = [];
  for (;;) {
    let cursor = at + delimiter.length;
    if (data.subarray(cursor, cursor + 2).toString('latin1') === '--') return { ok: true, fields };
    // Transport padding (spaces, tabs) may follow the boundary before its CRLF.
    while (data[cursor] === 0x20 || data[cursor] === 0x09) cursor++;
    if (!data.subarray(cursor, cursor + 2).equals(CRLF)) return fail('a boundary line does not end with CRLF');
    cursor += 2;
    const headerEnd = data.indexOf(HEADER_END, cursor - 2);
    if (headerEnd < 0) return fail('a part has no blank line after its headers');
    const headers = data.subarray(cursor, headerEnd).toString('latin1').split('\r\n');
    const next = data.indexOf(delimiter, headerEnd + HEADER_END.length);
    if (next < 0) return fail('the closing boundary is missing');
    let disposition: string | undefined;
    let partType: string | undefined;
    for (const line of headers) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      if (name === 'content-disposition') disposition = Buffer.from(line.slice(colon + 1), 'latin1').toString('utf8');
      if (name === 'content-type') partType = line.slice(colon + 1).trim();
    }
    if (!disposition) return fail('a part has no Content-Disposition header');
    const media = parseMediaType(disposition);
    const name = media.params.name;
    if (media.type !== 'form-data' || name === undefined) return fail('a part is not `form-data` with a name');
    if (media.params.filename !== undefined) {
      return { ok: false, problem: `the part "${name}" is a file; the sandbox takes text fields only` };
    }
    if (partType) {
      const charset = parseMediaType(partType).params.charset;
      if (charset && !isUtf8(charset))
        return { ok: false, problem: `the part "${name}" is in charset ${charset}; only UTF-8 is accepted` };
    }
    try {
      fields.push([name, utf8.decode(data.subarray(headerEnd + HEADER_END.length, next))]);
    } catch {
      return { ok: false, problem: `the part "${name}" is not valid UTF-8` };
    }
    at = next;
  }
}

export const isUtf8 = (charset: string): boolean => /^utf-?8$/i.test(charset);

/** The fields of a request body, by its content type. An empty body has none, whatever its type. */
export function parseBody(contentType: string | undefined, body: Buffer): ParseResult {
  if (body.length === 0) return { ok: true, fields: [] };
  if (!contentType) return { ok: false, problem: 'the request has a body but no content-type' };
  const media = parseMediaType(contentType);
  if (media.type === 'application/x-www-form-urlencoded') {
    const charset = media.params.charset;
    if (charset && !isUtf8(charset))
      return { ok: false, problem: `the body is in charset ${charset}; only UTF-8 is accepted` };
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      return { ok: false, problem: 'the body is not valid UTF-8' };
    }
    return parseUrlEncoded(text, 'body');
  }
  if (media.type === 'multipart/form-data') {
    const boundary = media.params.boundary;
    if (!boundary) return { ok: false, problem: 'multipart/form-data without a boundary' };
    return parseMultipart(body, boundary);
  }
  return {
    ok: false,
    problem: `content-type ${media.type} is not accepted; send application/x-www-form-urlencoded;charset=UTF-8 or multipart/form-data`,
  };
}
