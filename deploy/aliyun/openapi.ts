import { createRequire } from 'node:module';
import type { DeployConfig } from './config.js';

// CommonJS packages, loaded by require so that their `default` export is the client class itself.
const require = createRequire(import.meta.url);
export const openApi = require('@alicloud/openapi-core') as typeof import('@alicloud/openapi-core');
export const dara = require('@darabonba/typescript') as typeof import('@darabonba/typescript');

/**
 * Settings for an Alibaba Cloud OpenAPI client (these sign with ACS3-HMAC-SHA256): the deploy's
 * credentials, HTTPS to `host`, or to `override` (a URL, e.g. a stand-in API) when set.
 */
export function clientConfig({ env }: DeployConfig, host: string, override: string | undefined) {
  const url = override ? new URL(override) : undefined;
  return new openApi.$OpenApiUtil.Config({
    accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID,
    accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
    ...(env.ALIBABA_CLOUD_SECURITY_TOKEN && { securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN }),
    protocol: url ? url.protocol.slice(0, -1) : 'https',
    endpoint: url ? url.host : host,
    connectTimeout: 10_000,
    readTimeout: 60_000,
  });
}
