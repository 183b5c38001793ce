import { createRequire } from 'node:module';
import type { DeployConfig } from './config.js';

/** A resource as the FC API (2016-08-15) returns it. */
export type Resource = Record<string, unknown>;
type Answer = Promise<{ data: Resource }>;

/** The part of @alicloud/fc2 (which ships no types) that the deploy uses. */
export interface FcClient {
  getService(service: string): Answer;
  createService(service: string, options: Resource): Answer;
  updateService(service: string, options: Resource): Answer;
  getFunction(service: string, fn: string): Answer;
  createFunction(service: string, options: Resource): Answer;
  updateFunction(service: string, fn: string, options: Resource): Answer;
  getTrigger(service: string, fn: string, trigger: string): Answer;
  createTrigger(service: string, fn: string, options: Resource): Answer;
  updateTrigger(service: string, fn: string, trigger: string, options: Resource): Answer;
  getFunctionAsyncConfig(service: string, fn: string, qualifier?: string): Answer;
  putFunctionAsyncConfig(service: string, fn: string, qualifier: string | undefined, options: Resource): Answer;
}

type FcConstructor = new (
  accountId: string,
  config: {
    accessKeyID: string;
    accessKeySecret: string;
    securityToken?: string | undefined;
    region: string;
    secure: boolean;
    endpoint?: string | undefined;
    timeout: number;
  },
) => FcClient;

// Loaded by require: fc2 is CommonJS and its module type is declared elsewhere for the functions' narrower use.
const FC = createRequire(import.meta.url)('@alicloud/fc2') as FcConstructor;

/** A client signed with the deploy's credentials, on HTTPS, at FC_ENDPOINT when set. */
export function connect({ env, region }: DeployConfig): FcClient {
  return new FC(env.ALIBABA_CLOUD_ACCOUNT_ID, {
    accessKeyID: env.ALIBABA_CLOUD_ACCESS_KEY_ID,
    accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
    securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN,
    region,
    secure: true,
    endpoint: env.FC_ENDPOINT,
    timeout: 60_000,
  });
}

/** fc2 keeps only the status in its message: `GET /services/x failed with 404. requestid: …`. */
export function isNotFound(error: unknown): boolean {
  return error instanceof Error && / failed with 404\./.test(error.message);
}
