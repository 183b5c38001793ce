import type { TopClientConfig } from './top/client.js';
import { SIGN_METHODS, type SignMethod } from './top/sign.js';

export type Config = TopClientConfig;

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
  };
  if (problems.length > 0) throw new ConfigError(`parkflow is not configured: ${problems.join('; ')}.`);
  return config;
}
