import * as z from 'zod/mini';
import { invalid, type Outcome } from '../outcome.js';
import type { Envelope, EventRecord } from './envelope.js';
import { base64Bytes, textOf } from './message-body.js';

/** Our HTTP response to the sender of an event. */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: Object.assign({ 'content-type': 'application/json; charset=utf-8' }, headers),
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

/**
 * docs/architecture.md §8: 200 delivered (a re-sent event that was delivered gets the original result, marked
 * `duplicate`), 202 accepted into the queue, 400 invalid, 401 not signed, 409 a copy that differs
 * from the one delivered under its key, 502 refused for good,
 * 503 + Retry-After for transient faults.
 */
export function senderResponse(outcome: Outcome): HttpResponse {
  switch (outcome.kind) {
    case 'delivered':
      return json(200, {
        ok: true,
        request_id: outcome.request_id,
        attempts: outcome.attempts,
        ...(outcome.duplicate ? { duplicate: true } : {}),
      });
    case 'unauthorized':
      return json(401, { ok: false, error: { code: 'unauthorized', message: outcome.message } });
    case 'conflict':
      return json(409, {
        ok: false,
        error: { code: 'idempotency_conflict', message: outcome.message, fields: outcome.fields },
      });
    case 'queued':
      return json(202, { ok: true, queued: true, message_id: outcome.message_id });
    case 'invalid':
      return json(400, {
        ok: false,
        error: { code: 'invalid_input', message: outcome.message, issues: outcome.issues },
      });
    case 'rejected':
    case 'transient': {
      const { reason, message, code, msg, sub_code, sub_msg, request_id, status } = outcome.failure;
      const body = {
        ok: false,
        error: {
          code: reason,
          message,
          top: (code ?? sub_code) ? { code, msg, sub_code, sub_msg } : undefined,
          http_status: status,
        },
        request_id,
        attempts: outcome.attempts,
      };
      return outcome.kind === 'rejected'
        ? json(502, body)
        : json(
            503,
            { ...body, retry_after: outcome.retryAfterSeconds },
            { 'retry-after': String(outcome.retryAfterSeconds) },
          );
    }
  }
}

/** Only a misconfigured function fails before its records are processed; the message names the settings to fix. */
const configError = (error: Error): HttpResponse =>
  json(500, { ok: false, error: { code: 'config_error', message: error.message } });

/** Header names lower-cased, as the platforms differ; only text values (REST's multi-value headers are elsewhere). */
function stringHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const [key, value] of Object.entries(headers)) if (typeof value === 'string') out[key.toLowerCase()] = value;
  return out;
}

/** What every HTTP shape carries; anything else about the event is left alone. */
const request = {
  // Read by stringHeaders: a zod record would copy every header first.
  headers: z.unknown(),
  body: z.optional(z.nullable(z.string())),
  isBase64Encoded: z.optional(z.nullable(z.boolean())),
};
type Request = z.output<z.ZodMiniObject<typeof request>>;

/** API Gateway REST (v1 proxy). */
const restEvent = z.object({ ...request, httpMethod: z.string(), requestContext: z.object({ requestId: z.string() }) });
/** HTTP API and Function URLs (`version: "2.0"`), and FC 3.0's HTTP trigger (`version: "v1"`, docs/platforms.md §2, §5). */
const proxyEvent = z.object({
  ...request,
  version: z.optional(z.string()),
  requestContext: z.object({ requestId: z.string(), http: z.object({ method: z.string() }) }),
});

const NOT_BASE64 = invalid('The body is marked isBase64Encoded but is not base64.');

/**
 * The event's one record: its body as text and, when the platform base64-encoded it, the decoded
 * bytes a webhook signature covers (otherwise they are the body's own UTF-8).
 */
function recordOf(id: string, e: Request): EventRecord {
  const body = e.body ?? '';
  if (!e.isBase64Encoded) return { id, headers: stringHeaders(e.headers), body };
  const raw = base64Bytes(body);
  if (!raw) return { id, headers: stringHeaders(e.headers), body: '', raw: Buffer.from(body), refused: NOT_BASE64 };
  return bytesRecord(id, e.headers, raw);
}

/** A record of a body's bytes as received: they are what the webhook signature covers, and must be UTF-8. */
export function bytesRecord(id: string, headers: unknown, raw: Buffer): EventRecord {
  const text = textOf(raw);
  return { id, headers: stringHeaders(headers), body: text.body, raw, refused: text.refused };
}

/** An HTTP request's one record, or, for any method but POST, a 405 and no record. */
export function httpEnvelope(trigger: string, method: string, record: EventRecord): Envelope {
  if (method.toUpperCase() !== 'POST') {
    const notAllowed = json(
      405,
      { ok: false, error: { code: 'method_not_allowed', message: 'POST the event as JSON.' } },
      { allow: 'POST' },
    );
    return { trigger, kind: 'http', records: [], respond: () => notAllowed, fail: configError };
  }
  return {
    trigger,
    kind: 'http',
    records: [record],
    respond: ([result]) =>
      result ? senderResponse(result.outcome) : configError(new Error('The event came to no outcome.')),
    fail: configError,
  };
}

/** API Gateway REST (v1), HTTP API or Function URL (v2), or FC's HTTP trigger; undefined for other events. */
export function openHttp(event: unknown): Envelope | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  // Only the REST shape has httpMethod: the common v2 and FC events skip a parse bound to fail.
  const rest = 'httpMethod' in event ? z.safeParse(restEvent, event) : undefined;
  if (rest?.success)
    return httpEnvelope('apigw-rest', rest.data.httpMethod, recordOf(rest.data.requestContext.requestId, rest.data));
  const proxy = z.safeParse(proxyEvent, event);
  if (!proxy.success) return undefined;
  const { version, requestContext } = proxy.data;
  return httpEnvelope(
    version === '2.0' ? 'apigw-http' : 'fc-http',
    requestContext.http.method,
    recordOf(requestContext.requestId, proxy.data),
  );
}
