import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultBook } from './faults.js';
import { validateFaultRule } from './faults.js';
import { sendError, sendJson } from './http-util.js';
import { type AppLimit, limitProblems } from './limit.js';
import { BodyTooLargeError, readBody } from './request-body.js';
import type { SandboxCall } from './types.js';

/** What the admin API works on. */
export interface AdminContext {
  calls: SandboxCall[];
  faults: FaultBook;
  subscribe(listener: (call: SandboxCall) => void): () => void;
  limit: AppLimit;
  now(): number;
}

const ADMIN_BODY_LIMIT = 64 * 1024;
const HEARTBEAT_MS = 15_000;

const ROUTES = [
  'GET /_admin/calls?limit=N',
  'DELETE /_admin/calls',
  'GET /_admin/faults',
  'POST /_admin/faults',
  'DELETE /_admin/faults',
  'DELETE /_admin/faults/:id',
  'GET /_admin/limit',
  'PUT /_admin/limit',
  'DELETE /_admin/limit',
  'GET /_admin/events',
];

/** `/_admin/...`: calls, fault rules and a live feed of calls (Server-Sent Events). */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: AdminContext,
): Promise<void> {
  const path = url.pathname.replace(/\/+$/, '');
  const verb = req.method ?? 'GET';
  const notAllowed = (allow: string): void => {
    res.setHeader('allow', allow);
    sendError(res, 405, 'method_not_allowed', `${verb} is not allowed on ${path}; use ${allow}`);
  };

  if (path === '/_admin') return verb === 'GET' ? sendJson(res, 200, { routes: ROUTES }) : notAllowed('GET');

  if (path === '/_admin/calls') {
    if (verb === 'GET') {
      const limitText = url.searchParams.get('limit');
      let limit = ctx.calls.length;
      if (limitText !== null) {
        if (!/^\d+$/.test(limitText) || Number(limitText) < 1) {
          return sendError(res, 400, 'invalid_limit', `limit must be a positive integer, got "${limitText}"`);
        }
        limit = Number(limitText);
      }
      return sendJson(res, 200, ctx.calls.slice().reverse().slice(0, limit));
    }
    if (verb === 'DELETE') {
      const cleared = ctx.calls.length;
      ctx.calls.length = 0;
      return sendJson(res, 200, { cleared });
    }
    return notAllowed('GET, DELETE');
  }

  if (path === '/_admin/faults') {
    if (verb === 'GET') return sendJson(res, 200, ctx.faults.list());
    if (verb === 'DELETE') return sendJson(res, 200, { cleared: ctx.faults.clear() });
    if (verb === 'POST') return addFault(req, res, ctx);
    return notAllowed('GET, POST, DELETE');
  }

  const one = /^\/_admin\/faults\/([^/]+)$/.exec(path);
  if (one?.[1] !== undefined) {
    if (verb !== 'DELETE') return notAllowed('DELETE');
    const id = decodeURIComponent(one[1]);
    return ctx.faults.remove(id)
      ? sendJson(res, 200, { deleted: id })
      : sendError(res, 404, 'no_such_fault', `there is no fault rule ${id}`);
  }

  if (path === '/_admin/limit') {
    if (verb === 'GET') return sendJson(res, 200, ctx.limit.view(ctx.now()));
    if (verb === 'DELETE') {
      ctx.limit.set(undefined);
      return sendJson(res, 200, ctx.limit.view(ctx.now()));
    }
    if (verb === 'PUT') return putLimit(req, res, ctx);
    return notAllowed('GET, PUT, DELETE');
  }

  if (path === '/_admin/events') return verb === 'GET' ? streamEvents(req, res, ctx) : notAllowed('GET');

  return sendError(res, 404, 'not_found', `no admin route ${verb} ${path}; routes: ${ROUTES.join(', ')}`);
}

/** The request's JSON body, or undefined once an error has been answered; `what` and `example` name it. */
async function readJson(
  req: IncomingMessage,
  res: ServerResponse,
  what: string,
  example: string,
): Promise<{ input: unknown } | undefined> {
  let text: string;
  try {
    text = (await readBody(req, ADMIN_BODY_LIMIT)).toString('utf8');
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    sendError(res, 413, 'too_large', `${what} is at most 64 KiB of JSON`);
    return undefined;
  }
  try {
    return { input: JSON.parse(text) };
  } catch {
    sendError(res, 400, 'invalid_json', `the body must be ${what} in JSON, e.g. ${example}`);
    return undefined;
  }
}

async function putLimit(req: IncomingMessage, res: ServerResponse, ctx: AdminContext): Promise<void> {
  const body = await readJson(req, res, 'a limit', '{"perSecond":20,"banSeconds":5}');
  if (!body) return;
  const problems = limitProblems(body.input);
  if (problems.length > 0)
    return sendError(res, 400, 'invalid_limit', `invalid limit: ${problems.join('; ')}`, problems);
  ctx.limit.set(body.input as { perSecond: number; banSeconds: number });
  return sendJson(res, 200, ctx.limit.view(ctx.now()));
}

async function addFault(req: IncomingMessage, res: ServerResponse, ctx: AdminContext): Promise<void> {
  const body = await readJson(req, res, 'a fault rule', '{"kind":"isp","count":2}');
  if (!body) return;
  const input = body.input;
  const checked = validateFaultRule(input);
  if (!checked.ok)
    return sendError(res, 400, 'invalid_fault', `invalid fault rule: ${checked.problems.join('; ')}`, checked.problems);
  return sendJson(res, 201, ctx.faults.add(checked.rule));
}

/** `event: call` with the SandboxCall as data, for every call answered from now on. */
function streamEvents(req: IncomingMessage, res: ServerResponse, ctx: AdminContext): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream;charset=UTF-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(': connected\n\n');
  const unsubscribe = ctx.subscribe((call) => {
    res.write(`event: call\nid: ${call.id}\ndata: ${JSON.stringify(call)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const stop = (): void => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  req.on('close', stop);
  res.on('close', stop);
}
