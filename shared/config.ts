import type { Rate } from './limit/backend.js';
import type { TopClientConfig } from './top/client.js';
import { SIGN_METHODS, type SignMethod } from './top/sign.js';
import type { WebhookAuth } from './webhook/auth.js';
import { parseSecrets } from './webhook/secrets.js';

export interface Config extends TopClientConfig {
  /** Events of one invocation sent to TOP at once (docs/decisions.md §4). */
  concurrency: number;
  /** The app's calls to TOP per second, all instances together (TOP_RATE_LIMIT, TOP_RATE_BURST); unset: no rate. */
  rateLimit?: Rate | undefined;
  /** `sync` sends before answering; `queue` answers 202 and hands the event to the function's own queue. */
  deliveryMode: 'sync' | 'queue';
  /** The SQS queue this function consumes, for queue mode on AWS. */
  deliveryQueueUrl?: string | undefined;
  /** FC's API endpoint for queue mode on Alibaba; default the region's endpoint from the context. */
  deliveryFcEndpoint?: string | undefined;
  /** Neither set: an in-memory store per instance. Redis is used when both are. */
  idempotencyRedisUrl?: string | undefined;
  idempotencyDynamodbTable?: string | undefined;
  /** How long a delivered event is remembered. */
  idempotencyTtlSeconds: number;
  deadLetterSqsUrl?: string | undefined;
  deadLetterMnsUrl?: string | undefined;
  /** How HTTP events are authenticated (WEBHOOK_SECRETS, WEBHOOK_AUTH). */
  webhook: WebhookAuth;
}

export const PRODUCTION_GATEWAY = 'https://eco.taobao.com/router/rest';

/** A setting that is missing or malformed; the message names every such variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const UNSIGNED_RISK = 'anyone who can reach the URL can post events';

/**
 * Without secrets a function takes unsigned events, and says so; in production it refuses them
 * unless WEBHOOK_AUTH=off says that is meant. Malformed or contradictory settings go to `problems`.
 */
function webhookAuth(env: Env, secrets: string | undefined, problems: string[]): WebhookAuth {
  const off = env.WEBHOOK_AUTH?.trim();
  if (off !== undefined && off !== '' && off !== 'off') {
    problems.push('WEBHOOK_AUTH may only be off (take unsigned events on purpose); leave it unset otherwise');
  }
  if (secrets !== undefined) {
    if (off === 'off') problems.push('WEBHOOK_AUTH=off and WEBHOOK_SECRETS are both set: unset one of them');
    const keys = parseSecrets(secrets);
    if (typeof keys === 'string') problems.push(`WEBHOOK_SECRETS: ${keys}`);
    return { mode: 'signed', keys: typeof keys === 'string' ? [] : keys };
  }
  if (off === 'off') {
    return { mode: 'unsigned', warning: `Webhook signatures are off (WEBHOOK_AUTH=off): ${UNSIGNED_RISK}.` };
  }
  if (env.NODE_ENV?.trim() === 'production') {
    return {
      mode: 'refused',
      problem:
        'parkflow is not configured: WEBHOOK_SECRETS is not set, and NODE_ENV is production: set WEBHOOK_SECRETS to the whsec_ secret(s) the sender signs with, or WEBHOOK_AUTH=off to take unsigned events on purpose. HTTP events are refused until then.',
    };
  }
  return {
    mode: 'unsigned',
    warning: `WEBHOOK_SECRETS is not set: HTTP events are taken unsigned and ${UNSIGNED_RISK}. Set it (npm run sign -- --new-secret makes a secret); with NODE_ENV=production every HTTP event is refused until it is set or WEBHOOK_AUTH=off.`,
  };
}

/** Reads the function's settings from the environment, reporting every problem at once. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === '' ? undefined : v;
  };
  const required = (name: string, what: string) => {
    const v = value(name);
    if (v === undefined) problems.push(`${name} is not set: ${what}`);
    return v ?? '';
  };
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const v = value(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      problems.push(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };

  const appKey = required('TOP_APP_KEY', 'the app key of your TOP application');
  const appSecret = required('TOP_APP_SECRET', 'the app secret of your TOP application');
  const gatewayUrl = value('TOP_GATEWAY_URL') ?? PRODUCTION_GATEWAY;
  if (!/^https?:\/\/[^/]/.test(gatewayUrl) || !URL.canParse(gatewayUrl)) {
    problems.push(`TOP_GATEWAY_URL must be an http(s) URL such as ${PRODUCTION_GATEWAY}`);
  }
  const signMethod = (value('TOP_SIGN_METHOD') ?? 'hmac-sha256') as SignMethod;
  if (!SIGN_METHODS.includes(signMethod)) problems.push(`TOP_SIGN_METHOD must be one of ${SIGN_METHODS.join(', ')}`);
  const url = (name: string, schemes: RegExp, example: string) => {
    const v = value(name);
    if (v !== undefined && (!schemes.test(v) || !URL.canParse(v)))
      problems.push(`${name} must be a URL such as ${example}`);
    return v;
  };
  const deliveryMode = (value('DELIVERY_MODE') ?? 'sync') as Config['deliveryMode'];
  if (!['sync', 'queue'].includes(deliveryMode)) problems.push('DELIVERY_MODE must be sync or queue');
  const SQS_EXAMPLE = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/parkflow-arrive';
  const config: Config = {
    appKey,
    appSecret,
    signMethod,
    session: value('TOP_SESSION'),
    partnerId: value('TOP_PARTNER_ID'),
    gatewayUrl,
    connectTimeoutMs: integer('TOP_CONNECT_TIMEOUT_MS', 2_000, 100, 60_000),
    responseTimeoutMs: integer('TOP_TIMEOUT_MS', 5_000, 100, 300_000),
    maxAttempts: integer('TOP_MAX_ATTEMPTS', 4, 1, 10),
    backoffBaseMs: 100,
    backoffCapMs: 2_000,
    concurrency: integer('TOP_CONCURRENCY', 16, 1, 64),
    rateLimit:
      value('TOP_RATE_LIMIT') === undefined
        ? undefined
        : { perSecond: integer('TOP_RATE_LIMIT', 0, 1, 100_000), burst: integer('TOP_RATE_BURST', 1, 1, 10_000) },
    deliveryMode,
    deliveryQueueUrl: url('DELIVERY_QUEUE_URL', /^https?:\/\//, SQS_EXAMPLE),
    deliveryFcEndpoint: url(
      'DELIVERY_FC_ENDPOINT',
      /^https?:\/\//,
      'https://123456.cn-hangzhou-internal.fc.aliyuncs.com',
    ),
    idempotencyRedisUrl: url('IDEMPOTENCY_REDIS_URL', /^rediss?:\/\//, 'redis://:password@10.0.0.5:6379/0'),
    idempotencyDynamodbTable: value('IDEMPOTENCY_DYNAMODB_TABLE'),
    idempotencyTtlSeconds: integer('IDEMPOTENCY_TTL_SECONDS', 86_400, 60, 30 * 86_400),
    deadLetterSqsUrl: url('DEAD_LETTER_SQS_URL', /^https?:\/\//, `${SQS_EXAMPLE}-dlq`),
    deadLetterMnsUrl: url(
      'DEAD_LETTER_MNS_URL',
      /^https?:\/\/[^/]+\/queues\/[^/]+$/,
      'https://123456.mns.cn-hangzhou.aliyuncs.com/queues/parkflow-dlq',
    ),
    webhook: webhookAuth(env, value('WEBHOOK_SECRETS'), problems),
  };
  if (problems.length > 0) throw new ConfigError(`parkflow is not configured: ${problems.join('; ')}.`);
  return config;
}
