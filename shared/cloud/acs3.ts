import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { FcCredentials } from '../runtime/fc.js';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
/** RFC 3986 percent-encoding, which the V3 rules ask for query names and values. */
const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The headers of an Alibaba Cloud OpenAPI request signed with ACS3-HMAC-SHA256 (docs/platforms.md
 * §11, "Request signature (V3)"): `host`, `content-type` and every `x-acs-*` header are signed, in
 * sorted order, over the method, path, sorted query and the body's SHA-256.
 */
export function acs3Headers(
  request: {
    method: string;
    url: URL;
    action: string;
    version: string;
    body: Buffer;
    headers?: Record<string, string>;
  },
  credentials: FcCredentials,
  now: Date = new Date(),
): Record<string, string> {
  const { method, url, body } = request;
  const headers: Record<string, string> = {
    ...request.headers,
    host: url.host,
    'x-acs-action': request.action,
    'x-acs-version': request.version,
    'x-acs-date': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': randomUUID(),
    'x-acs-content-sha256': sha256(body),
    ...(credentials.securityToken && { 'x-acs-security-token': credentials.securityToken }),
  };
  // Header names are given in lower case, as signed.
  const signed = Object.keys(headers)
    .filter((name) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-'))
    .sort();
  const query = [...url.searchParams]
    .map(([k, v]) => [encode(k), encode(v)])
    .sort(([a = ''], [b = '']) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    method,
    url.pathname,
    query,
    signed.map((name) => `${name}:${headers[name]?.trim()}\n`).join(''),
    signed.join(';'),
    headers['x-acs-content-sha256'],
  ].join('\n');
  const signature = createHmac('sha256', credentials.accessKeySecret)
    .update(`ACS3-HMAC-SHA256\n${sha256(canonical)}`)
    .digest('hex');
  const { host: _host, ...sent } = headers;
  return {
    ...sent,
    authorization: `ACS3-HMAC-SHA256 Credential=${credentials.accessKeyId},SignedHeaders=${signed.join(';')},Signature=${signature}`,
  };
}
