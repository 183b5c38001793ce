import { ConfigError } from '../config.js';
import { unauthorized } from '../outcome.js';
import type { EventRecord } from '../triggers/envelope.js';
import { verifyWebhook } from './signature.js';

/**
 * How a function takes HTTP events: signed with one of `keys`; unsigned (said once per instance, as
 * `warning`); or, in production with neither secrets nor WEBHOOK_AUTH=off, not at all.
 */
export type WebhookAuth =
  | { mode: 'signed'; keys: Buffer[] }
  | { mode: 'unsigned'; warning: string }
  | { mode: 'refused'; problem: string };

/**
 * An HTTP record whose signature does not hold is refused (401) before its body is even read;
 * nothing is sent and no idempotency key is touched.
 */
export function authenticate(record: EventRecord, auth: WebhookAuth, now: number = Date.now()): EventRecord {
  if (auth.mode === 'unsigned') return record;
  if (auth.mode === 'refused') throw new ConfigError(auth.problem);
  const verdict = verifyWebhook(auth.keys, record.headers, record.raw ?? Buffer.from(record.body), now);
  return verdict.ok ? record : { ...record, refused: unauthorized(verdict.reason) };
}
