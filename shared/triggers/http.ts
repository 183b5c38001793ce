import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Outcome } from '../outcome.js';
import type { Envelope } from './envelope.js';

/** FC 3.0's HTTP trigger event (DESIGN §3). */
export interface FcHttpEvent {
  version: string;
  rawPath: string;
  headers?: Record<string, string>;
  queryParameters?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: { requestId: string; http: { method: string; path: string; sourceIp?: string } };
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}

type Json = Record<string, unknown>;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

/**
 * DESIGN §4: 200 delivered (a re-sent event that was delivered gets the original result, marked
 * `duplicate`), 202 accepted into the queue, 400 invalid, 502 refused for good, 503 + Retry-After
 * for transient faults.
 */
export function httpAnswer(outcome: Outcome): HttpResponse {
  switch (outcome.kind) {
    case 'delivered':
      return json(200, {
        ok: true,
        request_id: outcome.request_id,
        attempts: outcome.attempts,
        ...(outcome.duplicate ? { duplicate: true } : {}),
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

const serverError = (error: Error): HttpResponse =>
  json(500, { ok: false, error: { code: 'server_error', message: error.message } });

const lower = (headers: Record<string, string | undefined> | null | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
};

function httpEnvelope(
  trigger: string,
  id: string,
  method: string,
  rawHeaders: Record<string, string | undefined> | null | undefined,
  body: string | null | undefined,
  base64: boolean | undefined,
): Envelope {
  if (method.toUpperCase() !== 'POST') {
    const notAllowed = json(
      405,
      { ok: false, error: { code: 'method_not_allowed', message: 'POST the event as JSON.' } },
      { allow: 'POST' },
    );
    return { trigger, kind: 'http', records: [], respond: () => notAllowed, fail: serverError };
  }
  const text = base64 ? Buffer.from(body ?? '', 'base64').toString('utf8') : (body ?? '');
  return {
    trigger,
    kind: 'http',
    records: [{ id, body: text, headers: lower(rawHeaders) }],
    respond: ([result]) => (result ? httpAnswer(result.outcome) : serverError(new Error('no outcome'))),
    fail: serverError,
  };
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/** API Gateway REST (v1), HTTP API or Function URL (v2), or FC's HTTP trigger; undefined for other events. */
export function openHttp(event: unknown): Envelope | undefined {
  if (!isObject(event) || !isObject(event.requestContext)) return undefined;
  if (typeof event.httpMethod === 'string') {
    const e = event as unknown as APIGatewayProxyEvent;
    return httpEnvelope('apigw-rest', e.requestContext.requestId, e.httpMethod, e.headers, e.body, e.isBase64Encoded);
  }
  if (!isObject(event.requestContext.http)) return undefined;
  if (event.version === '2.0') {
    const e = event as unknown as APIGatewayProxyEventV2;
    return httpEnvelope(
      'apigw-http',
      e.requestContext.requestId,
      e.requestContext.http.method,
      e.headers,
      e.body,
      e.isBase64Encoded,
    );
  }
  const e = event as unknown as FcHttpEvent;
  return httpEnvelope(
    'fc-http',
    e.requestContext.requestId,
    e.requestContext.http.method,
    e.headers,
    e.body,
    e.isBase64Encoded,
  );
}
