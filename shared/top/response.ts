import type { TopAnswer, TopFailure } from './result.js';

/**
 * How one HTTP attempt ended: a success envelope, or a failure and whether trying again can help.
 * Internal to the TOP client, which turns its attempts into one Outcome: the retry advice is the
 * client's business and never reaches a log line or an answer.
 */
export type AttemptOutcome =
  | { ok: true; response: Record<string, unknown>; request_id?: string | undefined }
  | { ok: false; failure: TopFailure; retry: 'backoff' | 'later' | 'never'; waitSeconds?: number | undefined };

const responseKeys = new Map<string, string>();

/** `taobao.taojie.parking.order.payinfo.sync` answers in `taojie_parking_order_payinfo_sync_response`. */
export function responseKey(method: string): string {
  let key = responseKeys.get(method);
  if (key === undefined) {
    key = `${method.replace(/^taobao\./, '').replaceAll('.', '_')}_response`;
    responseKeys.set(method, key);
  }
  return key;
}

const EVIDENCE_CHARS = 300;
const BAN_SECONDS = /(\d+)\s*more seconds/i;
const DEFAULT_BAN_SECONDS = 60;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (v == null ? undefined : String(v));

function answerOf(err: Json): TopAnswer {
  const code = Number(err.code);
  return {
    code: Number.isFinite(code) ? code : undefined,
    msg: text(err.msg),
    sub_code: text(err.sub_code),
    sub_msg: text(err.sub_msg),
    request_id: text(err.request_id),
  };
}

/** `isp.*` is the platform's fault, code 7 a rate limit, everything else the request's fault (docs/top-protocol.md §7–§9). */
function topError(answer: TopAnswer): AttemptOutcome {
  const detail = [answer.code, answer.msg, answer.sub_code, answer.sub_msg].filter((p) => p != null).join(' ');
  if (answer.code === 7) {
    const ban = BAN_SECONDS.exec(answer.sub_msg ?? '');
    const waitSeconds = ban ? Number(ban[1]) : DEFAULT_BAN_SECONDS;
    return {
      ok: false,
      retry: 'later',
      waitSeconds,
      failure: {
        ...answer,
        reason: 'rate_limited',
        message: `TOP rate-limited the app key for ${waitSeconds} s: ${detail}`,
      },
    };
  }
  const platform = answer.sub_code?.startsWith('isp.') === true;
  return {
    ok: false,
    retry: platform ? 'backoff' : 'never',
    failure: {
      ...answer,
      reason: 'top_error',
      message: platform ? `TOP had a platform fault: ${detail}` : `TOP refused the request: ${detail}`,
    },
  };
}

function badResponse(status: number, body: string, why: string, retry: 'backoff' | 'never'): AttemptOutcome {
  return {
    ok: false,
    retry,
    failure: { reason: 'bad_response', message: why, status, body: body.slice(0, EVIDENCE_CHARS) },
  };
}

/**
 * Reads one gateway answer. `resultField` names the API's result object (`result_dto`, `result`),
 * whose `success`, `data` or `model` set to false is a business refusal.
 */
export function readResponse(method: string, resultField: string, status: number, body: string): AttemptOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // A non-JSON page comes from something in front of TOP (a proxy, a load balancer): transient.
    if (status >= 200 && status < 300)
      return badResponse(status, body, 'The gateway answered with a body that is not JSON.', 'backoff');
    parsed = undefined;
  }
  if (status < 200 || status >= 300) {
    const retry = status >= 500 || status === 408 || status === 429 ? 'backoff' : 'never';
    const failure: TopFailure = {
      reason: 'http_error',
      message: `The gateway answered HTTP ${status}.`,
      status,
      body: body.slice(0, EVIDENCE_CHARS),
    };
    if (isObject(parsed) && isObject(parsed.error_response)) Object.assign(failure, answerOf(parsed.error_response));
    return { ok: false, retry, failure };
  }
  if (!isObject(parsed)) return badResponse(status, body, 'The gateway answered JSON that is not an object.', 'never');
  if (isObject(parsed.error_response)) return topError(answerOf(parsed.error_response));
  const envelope = parsed[responseKey(method)];
  if (!isObject(envelope)) {
    return badResponse(status, body, `The gateway's answer has no ${responseKey(method)} envelope.`, 'never');
  }
  const request_id = text(envelope.request_id);
  const result = envelope[resultField];
  if (!isObject(result)) {
    return badResponse(status, body, `The gateway's answer has no ${resultField} object.`, 'never');
  }
  if (result.success === false || result.data === false || result.model === false) {
    const code = text(result.error_code ?? result.code);
    const msg = text(result.error_message ?? result.message);
    return {
      ok: false,
      retry: 'never',
      failure: {
        reason: 'business_failure',
        message: `TOP took the request but did not accept the data${code || msg ? `: ${[code, msg].filter(Boolean).join(' ')}` : '.'}`,
        sub_code: code,
        sub_msg: msg,
        request_id,
      },
    };
  }
  return { ok: true, response: envelope, request_id };
}
