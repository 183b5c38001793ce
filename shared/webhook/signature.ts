import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** Standard Webhooks: a sender's clock may be this far off ours either way, and a captured request replays for no longer. */
const TOLERANCE_SECONDS = 5 * 60;

const HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;
/** The three headers of a Standard Webhooks request. */
export type WebhookHeaders = Record<(typeof HEADERS)[number], string>;

const hmac = (key: Buffer, id: string, timestamp: string, body: Buffer): Buffer =>
  createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();

/** `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, the body as the raw bytes sent. */
export function webhookSignature(key: Buffer, id: string, timestamp: string, body: Buffer): string {
  return `v1,${hmac(key, id, timestamp, body).toString('base64')}`;
}

/** The headers that sign `body`, as a new message unless `id` is given; several keys (a rotation) give one signature each. */
export function signWebhook(
  keys: Buffer[],
  body: Buffer,
  id = `msg_${randomUUID().replaceAll('-', '')}`,
  now: number = Date.now(),
): WebhookHeaders {
  const timestamp = String(Math.floor(now / 1000));
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': keys.map((key) => webhookSignature(key, id, timestamp, body)).join(' '),
  };
}

const DIGITS = /^\d{1,12}$/;
const SIGNED = 'sign "{webhook-id}.{webhook-timestamp}.{body}" with HMAC-SHA256 and the shared secret';

/**
 * Checks a request against every key (a rotation keeps old and new ones for a while) and every `v1`
 * signature the header lists. The reason says what the sender must fix, never what was expected.
 */
export function verifyWebhook(
  keys: Buffer[],
  headers: Record<string, unknown>,
  body: Buffer,
  now: number = Date.now(),
): { ok: true } | { ok: false; reason: string } {
  const text = (name: keyof WebhookHeaders) => {
    const value = headers[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const id = text('webhook-id');
  const timestamp = text('webhook-timestamp');
  const signature = text('webhook-signature');
  if (!id || !timestamp || !signature) {
    const missing = HEADERS.filter((name) => !text(name)).join(', ');
    return {
      ok: false,
      reason: `The request is not signed (no ${missing}): send the ${HEADERS.join(', ')} headers of Standard Webhooks and ${SIGNED}.`,
    };
  }
  if (!DIGITS.test(timestamp)) {
    return { ok: false, reason: 'webhook-timestamp must be the time of sending in whole seconds since the epoch.' };
  }
  if (Math.abs(Number(timestamp) - now / 1000) > TOLERANCE_SECONDS) {
    return {
      ok: false,
      reason: `webhook-timestamp is more than ${TOLERANCE_SECONDS / 60} minutes from this function's clock: sign each request when sending it, and check the sender's clock.`,
    };
  }
  const given = signature
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  if (given.length === 0) {
    return { ok: false, reason: 'webhook-signature holds no v1 signature: send "v1,<base64 signature>".' };
  }
  const expected = keys.map((key) => hmac(key, id, timestamp, body));
  // Every pair is compared, in constant time for equal lengths; a signature of another length cannot match.
  let match = false;
  for (const e of expected) for (const g of given) if (g.length === e.length && timingSafeEqual(g, e)) match = true;
  return match ? { ok: true } : { ok: false, reason: `No signature in webhook-signature matches: ${SIGNED}.` };
}
