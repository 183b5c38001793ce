import { randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Standard Webhooks: a secret is 24 to 64 random bytes. */
const MIN_BYTES = 24;
const MAX_BYTES = 64;

const ordinal = (n: number) => `${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`;

/**
 * `whsec_<base64>` secrets separated by commas or spaces, as keys; or what is wrong, naming the
 * secret by position only, so the message can be logged.
 */
export function parseSecrets(text: string): Buffer[] | string {
  const secrets = text.split(/[\s,]+/).filter((s) => s !== '');
  const keys: Buffer[] = [];
  for (const [i, secret] of secrets.entries()) {
    const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : '';
    const key = Buffer.from(encoded, 'base64');
    if (!BASE64.test(encoded) || key.length < MIN_BYTES || key.length > MAX_BYTES) {
      return `the ${ordinal(i + 1)} secret is not "${PREFIX}" followed by the base64 of ${MIN_BYTES} to ${MAX_BYTES} random bytes (npm run sign -- --new-secret makes one)`;
    }
    keys.push(key);
  }
  return keys;
}

export const newSecret = (): string => `${PREFIX}${randomBytes(32).toString('base64')}`;
