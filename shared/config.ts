import type { TopClientConfig } from './top/client.js';
import { SIGN_METHODS, type SignMethod } from './top/sign.js';

export interface Config extends TopClientConfig {
  /** Events of one invocation sent to TOP at once (DESIGN §4, README "Queues"). */
  concurrency: number;
  /** `sync` sends before answering; `queue` answers 202 and hands the event to the function's own queue. */
  deliveryMode: 'sync' | 'queue';
  /** The SQS queue this function consumes, for queue mode on AWS. */
  deliveryQueueUrl?: string | undefined;
  /** FC's API endpoint for queue mode on Alibaba; default the region's endpoint from the context. */
  deliveryFcEndpoint?: string | undefined;
  /** Unset: an in-memory store per instance. */
  idempotencyRedisUrl?: string | undefined;
  /** How long a delivered event is remembered. */
  idempotencyTtlSeconds: number;
  deadLetterSqsUrl?: string | undefined;
  deadLetterMnsUrl?: string | undefined;
}

export const PRODUCTION_GATEWAY = 'https://eco.taobao.com/router/rest';

/** A setting that is missing or malformed; the message names every such variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

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
    deliveryMode,
    deliveryQueueUrl: url('DELIVERY_QUEUE_URL', /^https?:\/\//, SQS_EXAMPLE),
    deliveryFcEndpoint: url(
      'DELIVERY_FC_ENDPOINT',
      /^https?:\/\//,
      'https://123456.cn-hangzhou-internal.fc.aliyuncs.com',
    ),
    idempotencyRedisUrl: url('IDEMPOTENCY_REDIS_URL', /^rediss?:\/\//, 'redis://:password@10.0.0.5:6379/0'),
    idempotencyTtlSeconds: integer('IDEMPOTENCY_TTL_SECONDS', 86_400, 60, 30 * 86_400),
    deadLetterSqsUrl: url('DEAD_LETTER_SQS_URL', /^https?:\/\//, `${SQS_EXAMPLE}-dlq`),
    deadLetterMnsUrl: url(
      'DEAD_LETTER_MNS_URL',
      /^https?:\/\/[^/]+\/queues\/[^/]+$/,
      'https://123456.mns.cn-hangzhou.aliyuncs.com/queues/parkflow-dlq',
    ),
  };
  if (problems.length > 0) throw new ConfigError(`parkflow is not configured: ${problems.join('; ')}.`);
  return config;
}
