import { isDeepStrictEqual } from 'node:util';

/** A resource as an Alibaba Cloud API returns it. */
export type Resource = Record<string, unknown>;
/** A call that answers with the resource as the API has it after the call. */
export type Call = () => Promise<Resource | undefined>;

/** One resource: what the deploy will do to it and, on an update, which fields differ. */
export interface Change {
  action: 'create' | 'update' | 'none';
  kind: 'service-linked role' | 'service' | 'function' | 'trigger' | 'async invocation';
  name: string;
  fields: string[];
  /** The resource as the cloud has it now. */
  current: Resource | undefined;
  send: Call;
}

export interface Target {
  kind: Change['kind'];
  name: string;
  want: Resource;
  /** Compared whole, not field by field: a variable left out must be removed. */
  exact?: string[];
  /** Absent when the parent resource is new: then this one is new too, and asking the API would fail. */
  read: Call | undefined;
  create: Call;
  update: (fields: string[]) => Promise<Resource | undefined>;
}

/** Whether `have` holds everything in `want`; the API adds fields of its own (ids, times, defaults). */
function covers(have: unknown, want: unknown): boolean {
  if (want === null || typeof want !== 'object' || Array.isArray(want)) return isDeepStrictEqual(have, want);
  if (have === null || typeof have !== 'object') return false;
  return Object.entries(want).every(([k, v]) => covers((have as Resource)[k], v));
}

/** fc2 keeps only the status in its message (`… failed with 404. requestid: …`); the 2023-03-30 SDK sets `statusCode`. */
function isNotFound(error: unknown): boolean {
  return (
    (error as { statusCode?: unknown } | undefined)?.statusCode === 404 ||
    (error instanceof Error && / failed with 404\./.test(error.message))
  );
}

async function read(get: Target['read']): Promise<Resource | undefined> {
  try {
    const data = await get?.();
    // Both APIs keep a trigger's config as JSON text (FC 2.0 has also returned it as an object).
    return typeof data?.triggerConfig === 'string' ? { ...data, triggerConfig: JSON.parse(data.triggerConfig) } : data;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Reads the resource and tells what must change (reads only). */
export async function compare(target: Target): Promise<Change> {
  const { kind, name } = target;
  const current = await read(target.read);
  if (!current) return { action: 'create', kind, name, fields: [], current, send: target.create };
  const fields = Object.keys(target.want).filter((k) =>
    target.exact?.includes(k) ? !isDeepStrictEqual(current[k], target.want[k]) : !covers(current[k], target.want[k]),
  );
  return { action: fields.length ? 'update' : 'none', kind, name, fields, current, send: () => target.update(fields) };
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

/** One FC generation's API, in the terms the plan needs; each call answers with the resource as FC has it. */
export interface FcApi {
  /** For the plan's first line: `Function Compute 3.0`. */
  title: string;
  /** What holds the functions (FC 2.0: the service), planned first; `exists` tells whether functions may exist yet. */
  parents(): Promise<{ changes: Change[]; exists: boolean }>;
  /** How the plan names a function, and the prefix of its triggers and settings. */
  functionName(fn: string): string;
  /** The function's settings as FC returns them (compared with what FC has). */
  functionSpec(fn: string): Resource;
  getFunction(fn: string): Promise<Resource | undefined>;
  createFunction(fn: string, spec: Resource, zipFile: string): Promise<Resource | undefined>;
  /** `zipFile` only when the code changed. */
  updateFunction(fn: string, spec: Resource, zipFile: string | undefined): Promise<Resource | undefined>;
  getTrigger(fn: string, trigger: string): Promise<Resource | undefined>;
  createTrigger(fn: string, trigger: string, spec: Resource): Promise<Resource | undefined>;
  updateTrigger(fn: string, trigger: string, spec: Resource): Promise<Resource | undefined>;
  getAsyncConfig(fn: string): Promise<Resource | undefined>;
  putAsyncConfig(fn: string, spec: Resource): Promise<Resource | undefined>;
  /** The public URL of an HTTP trigger as FC returned it. */
  httpUrl(trigger: Resource): string | undefined;
}
