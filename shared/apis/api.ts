import * as z from 'zod/mini';
import { idempotencyKey } from '../idempotency/key.js';
import type { FunctionName } from '../registry.js';
import { describeIssues, type InputIssue } from '../schemas/issues.js';
import type { ParamValue } from '../top/params.js';

/** One TOP API as a function sees it: how input is checked and how it becomes request params. */
export interface ParkApi<S extends z.ZodMiniType = z.ZodMiniType> {
  /** The function's name, as registered in functions.json. */
  name: FunctionName;
  /** The TOP method; the registry names the same one (test/registry.test.ts checks). */
  method: string;
  /** The result object in TOP's success envelope. */
  resultField: string;
  schema: S;
  toParams(input: z.output<S>): Record<string, ParamValue>;
  /** The event's business identity: the same event sent again has the same one. */
  identity(input: z.output<S>): (string | number | undefined)[];
}

export type Checked =
  | { ok: true; params: Record<string, ParamValue>; key: string }
  | { ok: false; issues: InputIssue[] };

const fieldsOf = (schema: z.ZodMiniType): string[] =>
  Object.keys((schema as unknown as { shape: Record<string, unknown> }).shape);

/** Senders often write null or "" for "no value": both mean absent, as they do on the wire. */
function withoutEmpty(body: Record<string, unknown>): Record<string, unknown> {
  // A spread copies own properties as data: a `__proto__` key stays a field and never sets the prototype.
  const out = { ...body };
  for (const key in out) if (out[key] === null || out[key] === '') delete out[key];
  return out;
}

/**
 * Validates a parsed body against the API and turns it into request params, or lists every problem.
 * A webhook message id joins the event's identity in the key: the sender's retry of a message (same
 * id) is a duplicate, while a message it sends anew (new id) is sent again.
 */
export function check<S extends z.ZodMiniType>(
  api: ParkApi<S>,
  body: Record<string, unknown>,
  webhookId?: string,
): Checked {
  const result = z.safeParse(api.schema, withoutEmpty(body));
  if (!result.success) return { ok: false, issues: describeIssues(result.error, fieldsOf(api.schema)) };
  const identity = api.identity(result.data);
  if (webhookId !== undefined) identity.push(`webhook-id:${webhookId}`);
  return { ok: true, params: api.toParams(result.data), key: idempotencyKey(api.method, identity) };
}

/** Keeps the schema's type through the definition, so toParams and identity are typed from it. */
export const defineApi = <S extends z.ZodMiniType>(api: ParkApi<S>): ParkApi<S> => api;
