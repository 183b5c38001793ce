import type { ServerResponse } from 'node:http';

export const JSON_TYPE = 'application/json;charset=UTF-8';

/** Answers with a length, so keep-alive connections can be reused. */
export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  contentType: string,
  extra: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  extra: Record<string, string> = {},
): void {
  sendText(res, status, JSON.stringify(value), JSON_TYPE, extra);
}

/** The sandbox's own errors (not TOP's): `{"error":{"code","message","problems"?}}`. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  problems?: string[],
): void {
  sendJson(res, status, { error: problems ? { code, message, problems } : { code, message } });
}
