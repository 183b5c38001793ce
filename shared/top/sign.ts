import { createHmac, hash } from 'node:crypto';

export const SIGN_METHODS = ['md5', 'hmac', 'hmac-sha256'] as const;
export type SignMethod = (typeof SIGN_METHODS)[number];

/** Parameters as they go on the wire: every value already text, empty ones already dropped. */
export type WireParams = Record<string, string>;

/**
 * TOP's signature (TaobaoUtils.signTopRequest): keys in ordinal order, `key1value1key2value2…`
 * in UTF-8, then MD5 wrapped in the secret, HMAC-MD5 or HMAC-SHA256; uppercase hex.
 */
export function sign(params: WireParams, secret: string, method: SignMethod): string {
  // Parameter names are ASCII, so UTF-16 order (the default sort) is byte order.
  const keys = Object.keys(params).sort();
  let text = '';
  for (const key of keys) if (key !== 'sign') text += key + params[key];
  const hex =
    method === 'md5'
      ? hash('md5', secret + text + secret, 'hex')
      : createHmac(method === 'hmac' ? 'md5' : 'sha256', secret)
          .update(text, 'utf8')
          .digest('hex');
  return hex.toUpperCase();
}
