// FC 3.0 (API 2023-03-30, through @alicloud/fc20230330): functions on their own, named `<service>-<function>`.
import { createRequire } from 'node:module';
import type { DeployConfig } from './config.js';
import { clientConfig } from './openapi.js';
import type { FcApi, Resource } from './plan.js';
import { functionSpec, ownName, runSpec } from './spec.js';

const sdk = createRequire(import.meta.url)('@alicloud/fc20230330') as typeof import('@alicloud/fc20230330');

/** Triggers and async settings are set on the function's LATEST version, as s.yaml (fc3) does. */
const QUALIFIER = 'LATEST';

const resource = (answer: Promise<{ body?: { toMap(): Resource } }>) => answer.then((a) => a.body?.toMap());

/** FC 3.0's API endpoint, as Serverless Devs' fc3 uses it; FC_ENDPOINT overrides it. */
const fc3Host = (region: string) => `fcv3.${region}.aliyuncs.com`;

export function fc3(config: DeployConfig): FcApi {
  const fc = new sdk.default(clientConfig(config, fc3Host(config.region), config.env.FC_ENDPOINT));
  const name = (fn: string) => ownName(config, fn);
  const triggerConfig = (spec: Resource) => JSON.stringify(spec.triggerConfig);
  return {
    title: 'Function Compute 3.0',
    parents: async () => ({ changes: [], exists: true }),
    functionName: name,
    // FC keeps a role's ARN in lower case, as fc3 sends it: sent so, it compares equal on the next run.
    functionSpec: (fn) => {
      const spec = { ...functionSpec(config, fn), ...runSpec(config) };
      return typeof spec.role === 'string' ? { ...spec, role: spec.role.toLowerCase() } : spec;
    },
    getFunction: (fn) => resource(fc.getFunction(name(fn), new sdk.GetFunctionRequest({}))),
    createFunction: (fn, spec, zipFile) =>
      resource(
        fc.createFunction(
          new sdk.CreateFunctionRequest({
            body: new sdk.CreateFunctionInput({ functionName: name(fn), ...spec, code: { zipFile } }),
          }),
        ),
      ),
    updateFunction: (fn, spec, zipFile) =>
      resource(
        fc.updateFunction(
          name(fn),
          new sdk.UpdateFunctionRequest({
            body: new sdk.UpdateFunctionInput({ ...spec, ...(zipFile && { code: { zipFile } }) }),
          }),
        ),
      ),
    getTrigger: (fn, trigger) => resource(fc.getTrigger(name(fn), trigger)),
    createTrigger: (fn, triggerName, spec) =>
      resource(
        fc.createTrigger(
          name(fn),
          new sdk.CreateTriggerRequest({
            body: new sdk.CreateTriggerInput({
              triggerName,
              triggerType: spec.triggerType,
              triggerConfig: triggerConfig(spec),
              qualifier: QUALIFIER,
            }),
          }),
        ),
      ),
    updateTrigger: (fn, trigger, spec) =>
      resource(
        fc.updateTrigger(
          name(fn),
          trigger,
          new sdk.UpdateTriggerRequest({ body: new sdk.UpdateTriggerInput({ triggerConfig: triggerConfig(spec) }) }),
        ),
      ),
    getAsyncConfig: (fn) =>
      resource(fc.getAsyncInvokeConfig(name(fn), new sdk.GetAsyncInvokeConfigRequest({ qualifier: QUALIFIER }))),
    putAsyncConfig: (fn, spec) =>
      resource(
        fc.putAsyncInvokeConfig(
          name(fn),
          new sdk.PutAsyncInvokeConfigRequest({ qualifier: QUALIFIER, body: new sdk.PutAsyncInvokeConfigInput(spec) }),
        ),
      ),
    httpUrl: (trigger) => {
      const url = (trigger.httpTrigger as Resource | undefined)?.urlInternet;
      return typeof url === 'string' ? url : undefined;
    },
  };
}
