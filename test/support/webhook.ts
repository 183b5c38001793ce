// Webhook secrets and signed events for tests.
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import type { Sandbox } from '../../dev/sandbox/index.js';
import { parseSecrets } from '../../shared/webhook/secrets.js';
import { signWebhook } from '../../shared/webhook/signature.js';
import { coldStart, type Handler } from './bundles.js';
import { envFor, gateway } from './gateway.js';

/** The Standard Webhooks specification's example secret; and a second one, for rotations. */
export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const OTHER_SECRET = 'whsec_ZXhhbXBsZS1zZWNyZXQtZm9yLXJvdGF0aW9uLXRlc3Q=';

export const keysOf = (secrets: string): Buffer[] => parseSecrets(secrets) as Buffer[];

let n = 0;

/** The headers a sender adds to `body`: signed now (or at `now`) with `secret`, a new message id unless given. */
export function signed(
  body: string | Record<string, unknown>,
  opts: { secret?: string; id?: string; now?: number } = {},
): Record<string, string> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const id = opts.id ?? `msg_test${++n}`;
  return { ...signWebhook(keysOf(opts.secret ?? SECRET), Buffer.from(text), id, opts.now) };
}

/** Settings a test may set; cleared after it so that other test files run unsigned, as before. */
export const WEBHOOK_ENV = { WEBHOOK_SECRETS: undefined, WEBHOOK_AUTH: undefined, NODE_ENV: undefined };

/**
 * The sandbox for one test file (reset after each test) and cold starts of `arrive` against it, with
 * every webhook and idempotency setting cleared unless given; cleared again once the file is done.
 */
export function arriveAgainstSandbox() {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await gateway();
  });
  afterAll(async () => {
    coldStart('arrive', WEBHOOK_ENV);
    await sandbox?.close();
  });
  afterEach(() => {
    sandbox?.reset();
    vi.restoreAllMocks();
  });
  const current = (): Sandbox => {
    if (!sandbox) throw new Error('the sandbox starts in beforeAll');
    return sandbox;
  };
  return {
    sandbox: current,
    start: (extra: Record<string, string | undefined> = {}): Handler =>
      coldStart('arrive', envFor(current(), { ...WEBHOOK_ENV, IDEMPOTENCY_REDIS_URL: undefined, ...extra })),
  };
}
