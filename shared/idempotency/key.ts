import { hash } from 'node:crypto';

/**
 * The store key of an event: a hash of the TOP method and the event's business identity, so a
 * redelivered or re-sent copy finds the first one, and no plate or order id is kept in clear.
 */
export function idempotencyKey(method: string, identity: (string | number | undefined)[]): string {
  const text = JSON.stringify([method, ...identity.map((part) => part ?? null)]);
  return `parkflow:idem:${hash('sha256', text, 'hex')}`;
}
