// FC 2.0 (API 2016-08-15, through @alicloud/fc2): a service holding the functions.
import { createRequire } from 'node:module';
import type { DeployConfig } from './config.js';
import { compare, type FcApi, type Resource } from './plan.js';
import { functionSpec, serviceSpec } from './spec.js';

type Answer = Promise<{ data: Resource }>;

/** The part of @alicloud/fc2 (which ships no types) that the deploy uses. */
export interface Fc2Client {
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
) => Fc2Client;

// Loaded by require: fc2 is CommonJS and its module type is declared elsewhere for the functions' narrower use.
const FC = createRequire(import.meta.url)('@alicloud/fc2') as FcConstructor;

/** A client signed with the deploy's credentials, on HTTPS, at FC_ENDPOINT when set. */
function connect({ env, region }: DeployConfig): Fc2Client {
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

const data = (answer: Answer) => answer.then((a) => a.data);

/** FC 2.0: the functions live in one service, created or updated first. */
export function fc2(config: DeployConfig): FcApi {
  const fc = connect(config);
  const service = config.settings.service;
  return {
    title: 'Function Compute 2.0',
    async parents() {
      const want = serviceSpec(config);
      const change = await compare({
        kind: 'service',
        name: service,
        want,
        read: () => data(fc.getService(service)),
        create: () => data(fc.createService(service, want)),
        update: () => data(fc.updateService(service, want)),
      });
      return { changes: [change], exists: change.action !== 'create' };
    },
    functionName: (fn) => `${service}/${fn}`,
    functionSpec: (fn) => functionSpec(config, fn),
    getFunction: (fn) => data(fc.getFunction(service, fn)),
    createFunction: (fn, spec, zipFile) =>
      data(fc.createFunction(service, { functionName: fn, ...spec, code: { zipFile } })),
    updateFunction: (fn, spec, zipFile) =>
      data(fc.updateFunction(service, fn, { ...spec, ...(zipFile && { code: { zipFile } }) })),
    getTrigger: (fn, trigger) => data(fc.getTrigger(service, fn, trigger)),
    createTrigger: (fn, triggerName, spec) => data(fc.createTrigger(service, fn, { triggerName, ...spec })),
    updateTrigger: (fn, trigger, spec) =>
      data(fc.updateTrigger(service, fn, trigger, { triggerConfig: spec.triggerConfig })),
    getAsyncConfig: (fn) => data(fc.getFunctionAsyncConfig(service, fn)),
    putAsyncConfig: (fn, spec) => data(fc.putFunctionAsyncConfig(service, fn, undefined, spec)),
    httpUrl: (trigger) => (typeof trigger.urlInternet === 'string' ? trigger.urlInternet : undefined),
  };
}
