import type { WireParams } from '../../shared/top/sign.js';
import { checkAppParams } from './apis.js';
import { errorEnvelope, invalidArgument, isKnownMethod, successEnvelope, type TopError } from './envelopes.js';
import { type FaultBook, type FaultEffect, faultEffect } from './faults.js';
import type { AppLimit } from './limit.js';
import type { Field } from './request-body.js';
import { checkSystemParams, type SignatureVerdict, signatureVerdict } from './system-params.js';
import type { StoredFault } from './types.js';

/** How the sandbox answers one router/rest call. */
export type Answer =
  | { type: 'json'; status: number; body: unknown }
  | { type: 'text'; status: number; body: string; contentType: string }
  | { type: 'hang' };

export interface Decision {
  /** Every param received, first value of each name, empty ones included. */
  params: Record<string, string>;
  /** What the gateway works with: the same, empty values dropped (they are neither signed nor read). */
  effective: WireParams;
  signature: SignatureVerdict;
  fault?: StoredFault;
  answer: Answer;
  /** Hold the answer this long first (a `slow` fault). */
  delayMs?: number;
}

export interface GatewayContext {
  apps: Record<string, string>;
  now: number;
  faults: FaultBook;
  limit: AppLimit;
}

/** Names that arrived more than once with different values: the gateway could not know which to sign. */
function merge(fields: Field[]): { params: Record<string, string>; conflicts: string[] } {
  const seen = new Map<string, string>();
  const conflicts = new Set<string>();
  for (const [name, value] of fields) {
    const first = seen.get(name);
    if (first === undefined) seen.set(name, value);
    else if (first !== value) conflicts.add(name);
  }
  // fromEntries defines own properties, so a param named __proto__ stays a param.
  return { params: Object.fromEntries(seen), conflicts: [...conflicts] };
}

const error = (e: TopError): Answer => ({ type: 'json', status: 200, body: errorEnvelope(e) });

/**
 * Decides one call: faults first (so a script like "isp twice, then success" works whatever the
 * request), then the app's call limit, then what could not be read, then system params, signature and application params.
 * `problem` is why the query or body could not be read, if it could not.
 */
export function decide(fields: Field[], problem: string | undefined, ctx: GatewayContext): Decision {
  const { params, conflicts } = merge(fields);
  const effective: WireParams = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== ''));
  const signature = signatureVerdict(effective, ctx.apps);
  const base = { params, effective, signature };

  const fault = ctx.faults.take(effective.method);
  let delayMs: number | undefined;
  if (fault) {
    const effect: FaultEffect = faultEffect(fault, effective.method);
    if (effect.type === 'delay') delayMs = effect.ms;
    else return { ...base, fault, answer: effect };
  }
  const withFault = fault ? { ...base, fault } : base;
  const banned = ctx.limit.admit(effective.app_key ?? '', ctx.now);
  if (banned) return { ...withFault, answer: { type: 'json', status: 200, body: banned } };
  const decided = (answer: Answer): Decision =>
    delayMs === undefined ? { ...withFault, answer } : { ...withFault, answer, delayMs };

  if (problem !== undefined)
    return decided(error(invalidArgument('body', `the request could not be read: ${problem}`)));
  if (conflicts.length > 0) {
    return decided(
      error(
        invalidArgument(
          conflicts.join(','),
          `sent more than once with different values: ${conflicts.join(', ')}; send each parameter once`,
        ),
      ),
    );
  }
  const systemError = checkSystemParams(effective, { apps: ctx.apps, now: ctx.now, signature });
  if (systemError) return decided(error(systemError));
  const method = effective.method;
  // checkSystemParams has made sure of this; the guard narrows the type.
  if (!isKnownMethod(method)) return decided(error({ code: 22, msg: 'Invalid Method' }));
  const appError = checkAppParams(method, effective);
  if (appError) return decided(error(appError));
  return decided({ type: 'json', status: 200, body: successEnvelope(method) });
}
