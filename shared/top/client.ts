import { MIN_ATTEMPT_MS } from '../budget.js';
import type { CallGate } from '../limit/limiter.js';
import type { Sent } from '../outcome.js';
import { buildRequest, type ParamValue, type TopCredentials } from './params.js';
import { type AttemptOutcome, readResponse } from './response.js';
import type { TopFailure } from './result.js';
import { backoffMs, sleep } from './retry.js';
import { postForm } from './transport.js';

export interface TopClientConfig extends TopCredentials {
  gatewayUrl: string;
  connectTimeoutMs: number;
  /** Per attempt, until the whole answer is in. */
  responseTimeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
}

export interface TopCall {
  method: string;
  /** The API's result object in the success envelope (`result_dto`, `result`). */
  resultField: string;
  params: Record<string, ParamValue>;
  /** Epoch ms by which the call must have ended, retries included. */
  deadline: number;
  /** The app's call limit: every attempt waits for its turn, and none goes during a ban. */
  gate?: CallGate | undefined;
}

/** What a sender is told to wait after a transient fault when TOP gave no figure. */
const DEFAULT_RETRY_AFTER_SECONDS = 10;

function transportFailure(err: unknown): AttemptOutcome {
  const e = err as { code?: string; name?: string; message?: string };
  // Not TOP's answer (a proxy's page, a broken gateway): the call may have gone through, so it is not sent again now.
  if (e.code === 'ANSWER_TOO_LARGE') {
    return {
      ok: false,
      retry: 'later',
      failure: { reason: 'bad_response', message: `The gateway's answer was refused: ${e.message}` },
    };
  }
  const timeout = /TIMEOUT/i.test(`${e.code ?? ''} ${e.name ?? ''}`);
  const failure: TopFailure = {
    reason: timeout ? 'timeout' : 'network',
    message:
      `${timeout ? 'The gateway did not answer in time' : 'Could not reach the gateway'}: ${e.code ?? e.name ?? 'error'} ${e.message ?? ''}`.trim(),
  };
  return { ok: false, retry: 'backoff', failure };
}

let gateway: { url: string; origin: string; pathname: string } | undefined;

/** The gateway's origin and path, parsed once: an instance calls the same gateway every time. */
function gatewayOf(url: string): { origin: string; pathname: string } {
  if (gateway?.url !== url) {
    const { origin, pathname } = new URL(url);
    gateway = { url, origin, pathname };
  }
  return gateway;
}

/** Sends one TOP call, retrying platform and transport faults with backoff until the deadline. */
export async function callTop(config: TopClientConfig, call: TopCall): Promise<Sent> {
  const { origin, pathname } = gatewayOf(config.gatewayUrl);
  let last: AttemptOutcome | undefined;
  let attempts = 0;
  while (attempts < config.maxAttempts) {
    if (call.deadline - Date.now() < MIN_ATTEMPT_MS) break;
    const pass = await call.gate?.enter(call.deadline);
    if (pass && 'failure' in pass) return { kind: 'transient', attempts, ...pass };
    const remaining = call.deadline - Date.now();
    attempts++;
    const request = buildRequest(config, call.method, call.params);
    try {
      const answer = await postForm({ origin, path: `${pathname}?${request.query}` }, request.body, {
        connectMs: Math.min(config.connectTimeoutMs, remaining),
        responseMs: Math.min(config.responseTimeoutMs, remaining),
      });
      last = readResponse(call.method, call.resultField, answer.status, answer.body);
    } catch (err) {
      last = transportFailure(err);
    }
    if (pass) await call.gate?.leave(pass, last, call.deadline);
    if (last.ok) return { kind: 'delivered', request_id: last.request_id, response: last.response, attempts };
    if (last.retry === 'never') return { kind: 'rejected', failure: last.failure, attempts };
    if (last.retry === 'later') {
      return {
        kind: 'transient',
        failure: last.failure,
        attempts,
        retryAfterSeconds: last.waitSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
      };
    }
    const delay = backoffMs(attempts, config.backoffBaseMs, config.backoffCapMs);
    if (attempts >= config.maxAttempts || Date.now() + delay + MIN_ATTEMPT_MS > call.deadline) break;
    await sleep(delay);
  }
  const failure: TopFailure =
    last?.ok === false ? last.failure : { reason: 'timeout', message: 'No time was left to call the gateway.' };
  return { kind: 'transient', failure, attempts, retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS };
}
