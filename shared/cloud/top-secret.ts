import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { ConfigError } from '../config.js';
import { lazy } from '../lazy.js';
import { logError } from '../log.js';

type Env = Record<string, string | undefined>;

/** What the secret named by TOP_SECRET_ID holds (docs/decisions.md §8): the app secret, and optionally the app key and webhook secrets. */
const topSecretSchema = lazy(() =>
  z.object({
    app_secret: z.string().check(z.minLength(1)),
    app_key: z.optional(z.string()),
    webhook_secrets: z.optional(z.string()),
  }),
);
type TopSecret = z.output<ReturnType<typeof topSecretSchema>>;

/** A read that takes longer than this is a failure: a cold start must not hang on it. */
const READ_TIMEOUT_MS = 3_000;
/** After an invalid-signature answer the secret is read again, but not more often than this. */
const REREAD_INTERVAL_MS = 60_000;

let client: SecretsManagerClient | undefined;

/** What went wrong, naming the secret and never anything of its value. */
function readFailure(id: string, err: Error): ConfigError {
  const why: Record<string, string> = {
    ResourceNotFoundException: 'does not exist in this region (or has been deleted)',
    AccessDeniedException: "may not be read by the function's role: allow it secretsmanager:GetSecretValue on it",
    DecryptionFailure: "cannot be decrypted: allow the role kms:Decrypt on the secret's KMS key",
  };
  const reason = why[err.name] ?? `could not be read (${err.name}: ${err.message})`;
  return new ConfigError(`parkflow is not configured: the secret TOP_SECRET_ID names, "${id}", ${reason}.`);
}

/** GetSecretValue with the SDK the Lambda runtime ships (not in the bundle); region and endpoint as every AWS SDK finds them. */
async function readSecret(id: string): Promise<TopSecret> {
  let text: string | undefined;
  try {
    const sdk = await import('@aws-sdk/client-secrets-manager');
    client ??= new sdk.SecretsManagerClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 1_000 } });
    const answer = await client.send(new sdk.GetSecretValueCommand({ SecretId: id }), {
      abortSignal: AbortSignal.timeout(READ_TIMEOUT_MS),
    });
    text = answer.SecretString;
  } catch (err) {
    throw readFailure(id, err as Error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    // JSON.parse's message quotes the text: it is not repeated.
    parsed = undefined;
  }
  const secret = z.safeParse(topSecretSchema(), parsed);
  if (!secret.success) {
    throw new ConfigError(
      `parkflow is not configured: the secret TOP_SECRET_ID names, "${id}", is not a JSON object with a non-empty "app_secret" (and optionally "app_key" and "webhook_secrets" as text).`,
    );
  }
  return secret.data;
}

/** The settings the secret supplies, over the environment's. */
function merged(env: Env, secret: TopSecret): Env {
  return {
    ...env,
    TOP_APP_SECRET: secret.app_secret,
    ...(secret.app_key ? { TOP_APP_KEY: secret.app_key } : {}),
    ...(secret.webhook_secrets ? { WEBHOOK_SECRETS: secret.webhook_secrets } : {}),
  };
}

let pending: { id: string; read: Promise<TopSecret> } | undefined;

function start(id: string): NonNullable<typeof pending> {
  const read = readSecret(id);
  pending = { id, read };
  // A failed read is not kept: the next event tries again.
  read.catch(() => {
    if (pending?.read === read) pending = undefined;
  });
  return pending;
}

/**
 * The environment with the TOP secret's values when TOP_SECRET_ID is set (AWS), read once per
 * instance; otherwise the environment as it is (TOP_APP_SECRET: FC and local runs).
 */
export async function withTopSecret(env: Env): Promise<Env> {
  const id = env.TOP_SECRET_ID?.trim();
  if (!id) return env;
  if (env.TOP_APP_SECRET?.trim())
    throw new ConfigError(
      'parkflow is not configured: TOP_SECRET_ID and TOP_APP_SECRET are both set: keep one of them.',
    );
  const read = pending?.id === id ? pending : start(id);
  return merged(env, await read.read);
}

let reread: { at: number; result: Promise<Env | undefined> } | undefined;

/**
 * Reads the secret again (TOP said the signature is invalid: it may have been rotated) and gives
 * the new environment, or undefined when there is no secret or it has not changed. Records that
 * meet the same refusal share one read, and a secret that is simply wrong is read again at most
 * once a minute, not on every event.
 */
export function rereadTopSecret(env: Env): Promise<Env | undefined> {
  const id = env.TOP_SECRET_ID?.trim();
  if (!id || pending?.id !== id) return Promise.resolve(undefined);
  if (reread && Date.now() - reread.at < REREAD_INTERVAL_MS) return reread.result;
  const before = pending.read;
  const result = (async () => {
    const old = await before;
    const fresh = await start(id).read;
    return fresh.app_secret === old.app_secret ? undefined : merged(env, fresh);
  })().catch((err: Error) => {
    logError('top_secret', { action: 'reread', error: err.message });
    return undefined;
  });
  reread = { at: Date.now(), result };
  return result;
}
