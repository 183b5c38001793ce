import { FUNCTIONS } from '../functions.js';
import { functionCode } from './code.js';
import type { DeployConfig } from './config.js';
import { type Change, compare, type FcApi, type Resource } from './plan.js';
import { asyncInvocationSpec, HTTP_TRIGGER, httpTriggerSpec, QUEUE_TRIGGER, queueTriggerSpec } from './spec.js';

/** Compares what parkflow wants with what FC has (reads only); the changes come in the order they must be made. */
export async function planFunctions(fc: FcApi, config: DeployConfig): Promise<Change[]> {
  const parents = await fc.parents();
  const perFunction = await Promise.all(FUNCTIONS.map((fn) => planFunction(fc, config, fn, parents.exists)));
  return [...parents.changes, ...perFunction.flat()];
}

async function planFunction(fc: FcApi, config: DeployConfig, fn: string, parentExists: boolean): Promise<Change[]> {
  const name = fc.functionName(fn);
  const spec = fc.functionSpec(fn);
  const { zipFile, checksum } = functionCode(fn);
  const functionChange = await compare({
    kind: 'function',
    name,
    want: { ...spec, codeChecksum: checksum },
    exact: ['environmentVariables'],
    read: parentExists ? () => fc.getFunction(fn) : undefined,
    create: () => fc.createFunction(fn, spec, zipFile),
    update: (fields) => fc.updateFunction(fn, spec, fields.includes('codeChecksum') ? zipFile : undefined),
  });
  const exists = functionChange.action !== 'create';
  const trigger = (triggerName: string, want: Resource) =>
    compare({
      kind: 'trigger',
      name: `${name}/${triggerName}`,
      want,
      read: exists ? () => fc.getTrigger(fn, triggerName) : undefined,
      create: () => fc.createTrigger(fn, triggerName, want),
      update: () => fc.updateTrigger(fn, triggerName, want),
    });
  const queue = config.settings.queueTriggers;
  const asyncWanted = asyncInvocationSpec(config);
  const put = () => fc.putAsyncConfig(fn, asyncWanted);
  return [
    functionChange,
    await trigger(HTTP_TRIGGER, httpTriggerSpec(config)),
    ...(queue ? [await trigger(QUEUE_TRIGGER, queueTriggerSpec(config, fn, queue.batchSize))] : []),
    await compare({
      kind: 'async invocation',
      name,
      want: asyncWanted,
      read: exists ? () => fc.getAsyncConfig(fn) : undefined,
      create: put,
      update: put,
    }),
  ];
}
