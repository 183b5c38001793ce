import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { handleAdmin } from './admin.js';
import { FaultBook } from './faults.js';
import { sendError, sendJson, sendText } from './http-util.js';
import { AppLimit } from './limit.js';
import { BodyTooLargeError, type Field, parseBody, parseUrlEncoded, readBody } from './request-body.js';
import { type Answer, type Decision, decide } from './router-rest.js';
import { SANDBOX_APP_KEY, SANDBOX_APP_SECRET, type Sandbox, type SandboxCall, type SandboxOptions } from './types.js';

const ROUTER_PATH = '/router/rest';
const BODY_LIMIT = 1024 * 1024;

/** Starts a TOP `router/rest` gateway on localhost, stricter than the real one (docs/top-protocol.md). */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const apps = { ...(options.apps ?? { [SANDBOX_APP_KEY]: SANDBOX_APP_SECRET }) };
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  const faults = new FaultBook();
  const limit = new AppLimit(options.limit);
  const calls: SandboxCall[] = [];
  const listeners = new Set<(call: SandboxCall) => void>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;
  // router/rest calls being handled now, and the most at once since the last reset.
  let open = 0;
  let peak = 0;

  const subscribe = (listener: (call: SandboxCall) => void): (() => void) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };

  /** Keeps `calls` in the order received, though a slow call is recorded when it is answered. */
  function record(call: SandboxCall, order: number): void {
    let at = calls.length;
    while (at > 0 && callOrder(calls[at - 1]) > order) at--;
    calls.splice(at, 0, call);
    for (const listener of listeners) {
      try {
        listener(call);
      } catch (err) {
        console.error('[sandbox] an onCall listener threw:', err);
      }
    }
  }

  async function routerRest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const order = ++seq;
    const receivedAt = now();
    const started = performance.now();
    peak = Math.max(peak, ++open);
    let closed = false;
    const close = () => {
      if (!closed) open--;
      closed = true;
    };
    // Answered calls close when answered; a hanging one when its client gives up.
    res.once('close', close);
    const contentType = req.headers['content-type'];
    let body: Buffer;
    try {
      body = await readBody(req, BODY_LIMIT);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        res.setHeader('connection', 'close');
        return sendError(res, 413, 'too_large', `router/rest takes at most ${BODY_LIMIT} bytes`);
      }
      throw err;
    }
    const query = parseUrlEncoded(url.search.slice(1), 'query string');
    const form = parseBody(contentType, body);
    const fields: Field[] = [...(query.ok ? query.fields : []), ...(form.ok ? form.fields : [])];
    const problem = !query.ok ? query.problem : !form.ok ? form.problem : undefined;
    const decision = decide(fields, problem, { apps, now: receivedAt, faults, limit });

    const finish = (answer: Answer): void => {
      const call = describeCall(decision, order, receivedAt, contentType, answer, performance.now() - started);
      if (answer.type !== 'hang') close();
      if (answer.type === 'json') sendJson(res, answer.status, answer.body);
      else if (answer.type === 'text') sendText(res, answer.status, answer.body, answer.contentType);
      record(call, order);
    };
    const { answer, delayMs } = decision;
    if (answer.type === 'hang') {
      // Never answered: the socket stays open until the client gives up or close() destroys it.
      finish(answer);
      return;
    }
    if (delayMs === undefined) return finish(answer);
    const timer = setTimeout(() => {
      timers.delete(timer);
      finish(answer);
    }, delayMs);
    timers.add(timer);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    let handled: Promise<void> | void;
    if (url.pathname === ROUTER_PATH) {
      const verb = req.method ?? 'GET';
      if (verb === 'POST' || verb === 'GET') handled = routerRest(req, res, url);
      else {
        res.setHeader('allow', 'GET, POST');
        handled = sendError(
          res,
          405,
          'method_not_allowed',
          `${verb} is not allowed on ${ROUTER_PATH}; TOP calls are POST (or GET)`,
        );
      }
    } else if (url.pathname === '/_admin' || url.pathname.startsWith('/_admin/')) {
      handled = handleAdmin(req, res, url, { calls, faults, subscribe, limit, now });
    } else {
      handled = sendError(
        res,
        404,
        'not_found',
        `nothing at ${url.pathname}; TOP calls go to ${ROUTER_PATH}, the admin API is under /_admin`,
      );
    }
    Promise.resolve(handled).catch((err: unknown) => {
      console.error('[sandbox] request failed:', err);
      sendError(res, 500, 'internal', 'the sandbox failed to handle this request');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;

  return {
    url: `${origin}${ROUTER_PATH}`,
    origin,
    calls,
    onCall: subscribe,
    addFault: (rule) => faults.add(rule),
    clearFaults: () => {
      faults.clear();
    },
    faults: () => faults.list(),
    setLimit: (rule) => limit.set(rule),
    limitState: () => limit.view(now()),
    peakInFlight: () => peak,
    reset: () => {
      calls.length = 0;
      limit.set(limit.view(now()).limit ?? undefined);
      peak = open;
      faults.clear();
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        listeners.clear();
        server.close(() => resolve());
        // Hanging calls, SSE streams and idle keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

const callOrder = (call: SandboxCall | undefined): number => Number(call?.id.slice(1) ?? 0);

function describeCall(
  decision: Decision,
  order: number,
  receivedAt: number,
  contentType: string | undefined,
  answer: Answer,
  durationMs: number,
): SandboxCall {
  const { params, effective, signature, fault } = decision;
  const call: SandboxCall = {
    id: `c${order}`,
    receivedAt,
    signature,
    params,
    status: answer.type === 'hang' ? 0 : answer.status,
    response: answer.type === 'hang' ? null : answer.body,
    durationMs: Math.round(durationMs * 1000) / 1000,
  };
  if (effective.method !== undefined) call.method = effective.method;
  if (effective.app_key !== undefined) call.appKey = effective.app_key;
  if (effective.sign_method !== undefined) call.signMethod = effective.sign_method;
  if (contentType !== undefined) call.contentType = contentType;
  if (fault) {
    call.fault = fault.kind;
    call.faultId = fault.id;
  }
  return call;
}
