import type { buildConnector } from 'undici';
import type Pool from 'undici/lib/dispatcher/pool.js';

/** The TOP gateway's HTTP reply to one request, as read off the wire. */
export interface GatewayReply {
  status: number;
  body: string;
}

/** Where a request goes: the pool is chosen by origin. */
export interface Target {
  origin: string;
  /** Path and query string. */
  path: string;
}

export interface TransportTimeouts {
  connectMs: number;
  /** Until the whole answer is in. */
  responseMs: number;
}

const FORM = 'application/x-www-form-urlencoded;charset=UTF-8';
/** Far more than any TOP answer (a result object and a request id, a few KB): more is not TOP's. */
const MAX_ANSWER_BYTES = 1024 * 1024;
/** The longest TOP_CONNECT_TIMEOUT_MS allowed: ends a socket whose attempt already gave up on it. */
const SOCKET_CONNECT_LIMIT_MS = 60_000;

const pools = new Map<string, Pool>();

let undici: Promise<{ PoolClass: typeof Pool; connector: buildConnector.connector }> | undefined;

/**
 * undici (and the node modules it loads) on first send: an instance whose events are all invalid,
 * duplicates or queued never pays for it.
 */
const loadUndici = () => {
  undici ??= Promise.all([import('undici/lib/dispatcher/pool.js'), import('undici/lib/core/connect.js')]).then(
    ([pool, connect]) => ({ PoolClass: pool.default, connector: boundedConnector(connect.default) }),
  );
  return undici;
};

/**
 * Loads undici ahead of the first send (where the instance loads at full CPU: shared/runtime/instance.ts).
 * A failure shows on the first send.
 */
export function prepareTransport(): void {
  loadUndici().catch(() => undefined);
}

class ConnectTimeoutError extends Error {
  override name = 'ConnectTimeoutError';
  readonly code = 'CONNECT_TIMEOUT';
}

/**
 * The connect timeout of the attempt being dispatched. A pool opens a connection inside the
 * dispatch of the request that needs it, so the connector reads the bound of that very attempt:
 * worked out per attempt from the time left, never fixed when the pool was made.
 */
let attemptConnectMs = SOCKET_CONNECT_LIMIT_MS;

/** undici's own connector, with each connection's timeout read from the attempt that opens it. */
function boundedConnector(build: typeof buildConnector): buildConnector.connector {
  const connect = build({ timeout: SOCKET_CONNECT_LIMIT_MS });
  return (options, callback) => {
    const ms = attemptConnectMs;
    let gaveUp = false;
    const timer = setTimeout(() => {
      gaveUp = true;
      callback(new ConnectTimeoutError(`no connection within ${ms} ms`), null);
    }, ms);
    connect(options, (...args) => {
      clearTimeout(timer);
      if (!gaveUp) callback(...args);
      else args[1]?.destroy();
    });
  };
}

/**
 * One keep-alive pool per gateway origin, kept for the life of the instance so warm invocations
 * reuse connections. Sockets idle past the server's keep-alive are dropped by undici itself.
 */
async function poolFor(origin: string): Promise<Pool> {
  let pool = pools.get(origin);
  if (!pool) {
    const { PoolClass, connector } = await loadUndici();
    // Another send may have made it while this one waited for the module.
    pool =
      pools.get(origin) ??
      new PoolClass(origin, {
        connections: 64,
        connect: connector,
        keepAliveTimeout: 4_000,
        // Node's default; TOP's answer headers are a few hundred bytes.
        maxHeaderSize: 16 * 1024,
      });
    pools.set(origin, pool);
  }
  return pool;
}

/** Closes every pool, so a process (a test, a local server) can exit. */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.close()));
}

class ResponseTimeoutError extends Error {
  override name = 'ResponseTimeoutError';
  readonly code = 'RESPONSE_TIMEOUT';
}

/** An answer larger than TOP could send: read no further. */
class AnswerTooLargeError extends Error {
  override name = 'AnswerTooLargeError';
  readonly code = 'ANSWER_TOO_LARGE';
}

const tooLarge = (bytes: string) =>
  new AnswerTooLargeError(`the answer is ${bytes} bytes, more than the ${MAX_ANSWER_BYTES} a TOP answer can be`);

/**
 * POSTs a form body; resolves with any HTTP answer, rejects on network faults, timeouts and
 * answers too large to be TOP's. A request given up before it was sent is never sent.
 */
export async function postForm(target: Target, body: string, timeouts: TransportTimeouts): Promise<GatewayReply> {
  const pool = await poolFor(target.origin);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = 0;
    let size = 0;
    let abort: ((reason: Error) => void) | undefined;
    let failed: Error | undefined;
    const fail = (err: Error) => {
      if (failed) return;
      failed = err;
      clearTimeout(timer);
      reject(err);
      abort?.(err);
    };
    // One clock for the whole answer: headersTimeout and bodyTimeout each restart on progress.
    const timer = setTimeout(
      () => fail(new ResponseTimeoutError(`no complete answer within ${timeouts.responseMs} ms`)),
      timeouts.responseMs,
    );
    attemptConnectMs = timeouts.connectMs;
    pool.dispatch(
      {
        path: target.path,
        method: 'POST',
        headers: { 'content-type': FORM, accept: 'application/json' },
        body,
        headersTimeout: timeouts.responseMs,
        bodyTimeout: timeouts.responseMs,
      },
      {
        onRequestStart(controller) {
          abort = (reason) => controller.abort(reason);
          // Given up while it waited for a connection: it must not go out now.
          if (failed) controller.abort(failed);
        },
        onResponseStart(_controller, statusCode, headers) {
          status = statusCode;
          const length = Number(headers['content-length']);
          if (length > MAX_ANSWER_BYTES) fail(tooLarge(String(length)));
        },
        onResponseData(_controller, chunk) {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) fail(tooLarge(`over ${MAX_ANSWER_BYTES}`));
          else chunks.push(chunk);
        },
        onResponseEnd() {
          clearTimeout(timer);
          resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
        },
        onResponseError(_controller, err) {
          fail(err);
        },
      },
    );
  });
}
