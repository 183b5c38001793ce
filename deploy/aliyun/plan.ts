import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { artifactPath, FUNCTIONS } from '../functions.js';
import type { DeployConfig } from './config.js';
import { crc64 } from './crc64.js';
import { type FcClient, isNotFound, type Resource } from './fc-client.js';
import {
  asyncInvocationSpec,
  functionSpec,
  HTTP_TRIGGER,
  httpTriggerSpec,
  QUEUE_TRIGGER,
  queueTriggerSpec,
  serviceSpec,
} from './spec.js';

/** One resource: what the deploy will do to it and, on an update, which fields differ. */
export interface Change {
  action: 'create' | 'update' | 'none';
  kind: 'service' | 'function' | 'trigger' | 'async invocation';
  name: string;
  fields: string[];
  /** The resource as FC has it now. */
  current: Resource | undefined;
  send: () => Promise<{ data: Resource }>;
}

interface Target {
  kind: Change['kind'];
  name: string;
  want: Resource;
  /** Compared whole, not field by field: a variable left out must be removed. */
  exact?: string[];
  /** Absent when the parent resource is new: then this one is new too, and asking FC would fail. */
  read: (() => Promise<{ data: Resource }>) | undefined;
  create: () => Promise<{ data: Resource }>;
  update: (fields: string[]) => Promise<{ data: Resource }>;
}

/** Whether `have` holds everything in `want`; FC adds fields of its own (ids, times, defaults). */
function covers(have: unknown, want: unknown): boolean {
  if (want === null || typeof want !== 'object' || Array.isArray(want)) return isDeepStrictEqual(have, want);
  if (have === null || typeof have !== 'object') return false;
  return Object.entries(want).every(([k, v]) => covers((have as Resource)[k], v));
}

async function compare(target: Target): Promise<Change> {
  const { kind, name } = target;
  const current = await read(target.read);
  if (!current) return { action: 'create', kind, name, fields: [], current, send: target.create };
  const fields = Object.keys(target.want).filter((k) =>
    target.exact?.includes(k) ? !isDeepStrictEqual(current[k], target.want[k]) : !covers(current[k], target.want[k]),
  );
  return { action: fields.length ? 'update' : 'none', kind, name, fields, current, send: () => target.update(fields) };
}

async function read(get: Target['read']): Promise<Resource | undefined> {
  if (!get) return undefined;
  try {
    const { data } = await get();
    // The API has returned a trigger's config as JSON text as well as an object.
    return typeof data.triggerConfig === 'string' ? { ...data, triggerConfig: JSON.parse(data.triggerConfig) } : data;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function readZip(fn: string): Buffer {
  try {
    return readFileSync(artifactPath(fn));
  } catch {
    throw new Error(`${artifactPath(fn)} is missing: run npm run build first`);
  }
}

/** Compares what parkflow wants with what FC has (reads only); the changes come in the order they must be made. */
export async function plan(fc: FcClient, config: DeployConfig): Promise<Change[]> {
  const service = config.settings.service;
  const serviceWanted = serviceSpec(config);
  const serviceChange = await compare({
    kind: 'service',
    name: service,
    want: serviceWanted,
    read: () => fc.getService(service),
    create: () => fc.createService(service, serviceWanted),
    update: () => fc.updateService(service, serviceWanted),
  });
  const perFunction = await Promise.all(
    FUNCTIONS.map((fn) => planFunction(fc, config, fn, serviceChange.action !== 'create')),
  );
  return [serviceChange, ...perFunction.flat()];
}

async function planFunction(fc: FcClient, config: DeployConfig, fn: string, serviceExists: boolean) {
  const service = config.settings.service;
  const spec = functionSpec(config, fn);
  const zip = readZip(fn);
  const code = { zipFile: zip.toString('base64') };
  const functionChange = await compare({
    kind: 'function',
    name: `${service}/${fn}`,
    want: { ...spec, codeChecksum: crc64(zip) },
    exact: ['environmentVariables'],
    read: serviceExists ? () => fc.getFunction(service, fn) : undefined,
    create: () => fc.createFunction(service, { functionName: fn, ...spec, code }),
    update: (fields) => fc.updateFunction(service, fn, { ...spec, ...(fields.includes('codeChecksum') && { code }) }),
  });
  const exists = functionChange.action !== 'create';
  const trigger = (triggerName: string, want: Resource) =>
    compare({
      kind: 'trigger',
      name: `${service}/${fn}/${triggerName}`,
      want,
      read: exists ? () => fc.getTrigger(service, fn, triggerName) : undefined,
      create: () => fc.createTrigger(service, fn, { triggerName, ...want }),
      update: () => fc.updateTrigger(service, fn, triggerName, { triggerConfig: want.triggerConfig }),
    });
  const queue = config.settings.queueTriggers;
  const asyncWanted = asyncInvocationSpec(config);
  const put = () => fc.putFunctionAsyncConfig(service, fn, undefined, asyncWanted);
  return [
    functionChange,
    await trigger(HTTP_TRIGGER, httpTriggerSpec(config)),
    ...(queue ? [await trigger(QUEUE_TRIGGER, queueTriggerSpec(config, fn, queue.batchSize))] : []),
    await compare({
      kind: 'async invocation',
      name: `${service}/${fn}`,
      want: asyncWanted,
      read: exists ? () => fc.getFunctionAsyncConfig(service, fn) : undefined,
      create: put,
      update: put,
    }),
  ];
}

/** One line per resource; values are never shown, as some are secrets. */
export function describePlan(changes: Change[]): string {
  const sign = { create: '+', update: '~', none: '=' } as const;
  const lines = changes.map(
    (c) => `${sign[c.action]} ${c.kind} ${c.name}${c.action === 'update' ? ` (${c.fields.join(', ')})` : ''}`,
  );
  const count = (action: Change['action']) => changes.filter((c) => c.action === action).length;
  lines.push(`${count('create')} to create, ${count('update')} to update, ${count('none')} unchanged.`);
  return lines.join('\n');
}
