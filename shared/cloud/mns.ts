import { createHash, createHmac } from 'node:crypto';
import type { FcCredentials } from '../runtime/fc.js';

const MNS_VERSION = '2015-06-06';
const CONTENT_TYPE = 'text/xml;charset=utf-8';

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * MNS SendMessage (REST API 2015-06-06), signed with the function's temporary credentials:
 * base64(HMAC-SHA1(secret, VERB\nContent-MD5\nContent-Type\nDate\nx-mns-headers\nresource)).
 * The body is base64-encoded, as MNS's own SDKs send it. It waits `waitMs` at most.
 */
export async function sendMnsMessage(queueUrl: string, body: string, credentials: FcCredentials, waitMs: number) {
  const url = new URL(`${queueUrl.replace(/\/$/, '')}/messages`);
  const xml = `<?xml version="1.0" encoding="UTF-8"?><Message xmlns="http://mns.aliyuncs.com/doc/v1/"><MessageBody>${xmlEscape(Buffer.from(body).toString('base64'))}</MessageBody></Message>`;
  const md5 = createHash('md5').update(xml).digest('base64');
  const date = new Date().toUTCString();
  const mnsHeaders: Record<string, string> = { 'x-mns-version': MNS_VERSION };
  if (credentials.securityToken) mnsHeaders['x-mns-security-token'] = credentials.securityToken;
  const canonical = Object.keys(mnsHeaders)
    .sort()
    .map((name) => `${name}:${mnsHeaders[name]}\n`)
    .join('');
  const toSign = `POST\n${md5}\n${CONTENT_TYPE}\n${date}\n${canonical}${url.pathname}`;
  const signature = createHmac('sha1', credentials.accessKeySecret).update(toSign).digest('base64');
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      ...mnsHeaders,
      'content-type': CONTENT_TYPE,
      'content-md5': md5,
      date,
      authorization: `MNS ${credentials.accessKeyId}:${signature}`,
    },
    body: xml,
    signal: AbortSignal.timeout(waitMs),
  });
  const text = await response.text();
  if (response.status !== 201)
    throw new Error(`MNS SendMessage answered HTTP ${response.status}: ${text.slice(0, 200)}`);
  return /<MessageId>([^<]*)<\/MessageId>/.exec(text)?.[1] ?? '';
}
