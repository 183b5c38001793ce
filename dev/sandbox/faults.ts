import { STATUS_CODES } from 'node:http';
import { businessFailureEnvelope, errorEnvelope, isKnownMethod, requestId } from './envelopes.js';
import { banEnvelope } from './limit.js';
import type { FaultKind, FaultRule, FaultView, StoredFault } from './types.js';

/** What a fault does to a call. `answer` replaces the normal answer; `delay` and `hang` hold it. */
export type FaultEffect =
  | { type: 'json'; status: number; body: unknown }
  | { type: 'text'; status: number; body: string; contentType: string }
  | { type: 'delay'; ms: number }
  | { type: 'hang' };

export const FAULT_KINDS: readonly FaultKind[] = [
  'isp',
  'isv',
  'ban',
  'http',
  'non-json',
  'slow',
  'hang',
  'business-failure',
];

/** Kind-specific fields; `kind`, `method` and `count` are common to all. */
const KIND_FIELDS: Record<FaultKind, readonly string[]> = {
  isp: ['subCode'],
  isv: ['subCode'],
  ban: ['seconds'],
  http: ['status'],
  'non-json': [],
  slow: ['delayMs'],
  hang: [],
  'business-failure': [],
};

const MAX_DELAY_MS = 600_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

export type FaultValidation = { ok: true; rule: FaultRule } | { ok: false; problems: string[] };

/** Checks a fault rule from outside (admin API, untyped callers); every problem, in one go. */
export function validateFaultRule(input: unknown): FaultValidation {
  if (!isObject(input)) return { ok: false, problems: ['a fault rule must be a JSON object with a "kind"'] };
  const kind = input.kind;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    return { ok: false, problems: [`kind must be one of ${FAULT_KINDS.join(', ')}; got ${JSON.stringify(kind)}`] };
  }
  const k = kind as FaultKind;
  const problems: string[] = [];
  const allowed = new Set(['kind', 'method', 'count', ...KIND_FIELDS[k]]);
  for (const key of Object.keys(input)) {
    if (!allowed.has(key))
      problems.push(`unknown field "${key}" for a ${k} fault; allowed: ${[...allowed].join(', ')}`);
  }
  const { method, count } = input;
  if (method !== undefined && (typeof method !== 'string' || method === ''))
    problems.push('method must be a non-empty string (a TOP method name)');
  if (count !== undefined && (!isInt(count) || count < 1)) problems.push('count must be a positive integer');
  const subCode = input.subCode;
  if (subCode !== undefined) {
    if (typeof subCode !== 'string' || subCode === '') problems.push('subCode must be a non-empty string');
    else if (k === 'isp' && !subCode.startsWith('isp.'))
      problems.push('subCode of an isp fault must start with "isp." (a platform fault)');
    else if (k === 'isv' && subCode.startsWith('isp.'))
      problems.push('subCode of an isv fault must not start with "isp."; use kind isp');
  }
  if (k === 'ban' && (!isInt(input.seconds) || input.seconds < 1)) problems.push('seconds must be a positive integer');
  if (k === 'http' && (!isInt(input.status) || input.status < 400 || input.status > 599))
    problems.push('status must be an integer HTTP status from 400 to 599');
  if (k === 'slow' && (!isInt(input.delayMs) || input.delayMs < 0 || input.delayMs > MAX_DELAY_MS)) {
    problems.push(`delayMs must be an integer from 0 to ${MAX_DELAY_MS}`);
  }
  if (problems.length > 0) return { ok: false, problems };
  // Every field is now known and typed; copy only those.
  const rule: Record<string, unknown> = {};
  for (const key of allowed) if (input[key] !== undefined) rule[key] = input[key];
  return { ok: true, rule: rule as FaultRule };
}

interface Entry {
  rule: StoredFault;
  remaining?: number;
}

/** The fault rules, in insertion order; the first one matching a call fires, and a `count` rule wears out. */
export class FaultBook {
  #entries: Entry[] = [];
  #next = 1;

  add(input: FaultRule): StoredFault {
    const checked = validateFaultRule(input);
    if (!checked.ok) throw new TypeError(`invalid fault rule: ${checked.problems.join('; ')}`);
    const rule: StoredFault = { ...checked.rule, id: `f${this.#next++}` };
    const entry: Entry = { rule };
    if (rule.count !== undefined) entry.remaining = rule.count;
    this.#entries.push(entry);
    return { ...rule };
  }

  remove(id: string): boolean {
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((e) => e.rule.id !== id);
    return this.#entries.length < before;
  }

  clear(): number {
    const n = this.#entries.length;
    this.#entries = [];
    return n;
  }

  list(): FaultView[] {
    return this.#entries.map((e) =>
      e.remaining === undefined ? { ...e.rule } : { ...e.rule, remaining: e.remaining },
    );
  }

  /** The first rule matching a call to `method`, used up by one; undefined when none does. */
  take(method: string | undefined): StoredFault | undefined {
    const index = this.#entries.findIndex((e) => matches(e.rule, method));
    const entry = this.#entries[index];
    if (!entry) return undefined;
    if (entry.remaining !== undefined) {
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.#entries.splice(index, 1);
    }
    return entry.rule;
  }
}

/** A business failure needs a method's own envelope, so it only matches the two known methods. */
function matches(rule: FaultRule, method: string | undefined): boolean {
  if (rule.method !== undefined && rule.method !== method) return false;
  return rule.kind !== 'business-failure' || isKnownMethod(method);
}

const HTML = 'text/html;charset=UTF-8';

function htmlPage(status: number, reason: string): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n`;
}

/** TOP's code 15: the sub_code says whose fault it is (`isp.*` the platform's, `isv.*` the caller's). */
function remoteServiceError(subCode: string, what: string): FaultEffect {
  const body = errorEnvelope({
    code: 15,
    msg: 'Remote service error',
    sub_code: subCode,
    sub_msg: `Sandbox fault: ${what} (${subCode})`,
  });
  return { type: 'json', status: 200, body };
}

/** What a fault rule does to a call to `method`. */
export function faultEffect(rule: FaultRule, method: string | undefined): FaultEffect {
  switch (rule.kind) {
    case 'isp':
      return remoteServiceError(rule.subCode ?? 'isp.remote-service-timeout', 'the remote service failed');
    case 'isv':
      return remoteServiceError(rule.subCode ?? 'isv.invalid-parameter', 'the request was refused');
    case 'ban':
      return { type: 'json', status: 200, body: banEnvelope(rule.seconds) };
    case 'http':
      return {
        type: 'text',
        status: rule.status,
        body: htmlPage(rule.status, STATUS_CODES[rule.status] ?? 'Error'),
        contentType: HTML,
      };
    case 'non-json':
      return {
        type: 'text',
        status: 200,
        body: htmlPage(200, 'OK').replace('200 OK</h1>', 'Service is busy, please try later</h1>'),
        contentType: HTML,
      };
    case 'slow':
      return { type: 'delay', ms: rule.delayMs };
    case 'hang':
      return { type: 'hang' };
    case 'business-failure':
      // matches() only lets this rule fire for a known method.
      return {
        type: 'json',
        status: 200,
        body: isKnownMethod(method)
          ? businessFailureEnvelope(method)
          : errorEnvelope({ code: 22, msg: 'Invalid Method' }, requestId()),
      };
  }
}
