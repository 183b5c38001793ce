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
const pools = new Map<string, Pool>();

let undiciPool: Promise<typeof Pool> | undefined;

/**
 * undici (and the node modules it loads) on first send: an instance whose events are all invalid,
 * duplicates or queued never pays for it.
 */
const loadPool = (): Promise<typeof Pool> => {
  undiciPool ??= import('undici/lib/dispatcher/pool.js').then((m) => m.default);
  return undiciPool;
};

/**
 * Except on Lambda, whose runtime sets this variable: there the module loads in the init phase, at
 * full CPU (or ahead of traffic), and undici costs a few ms there instead of several times that out
 * of the first event's share of a vCPU (docs/decisions.md §11). A failure shows on the first send.
 */
if (process.env.AWS_LAMBDA_INITIALIZATION_TYPE) loadPool().catch(() => undefined);

/**
 * One keep-alive pool per gateway origin, kept for the life of the instance so warm invocations
 * reuse connections. Sockets idle past the server's keep-alive are dropped by undici itself.
 */
async function poolFor(origin: string, connectMs: number): Promise<Pool> {
  let pool = pools.get(origin);
  if (!pool) {
    const PoolClass = await loadPool();
    // Another send may have made it while this one waited for the module.
    pool =
      pools.get(origin) ??
      new PoolClass(origin, {
        connections: 64,
        connect: { timeout: connectMs },
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

export class ResponseTimeoutError extends Error {
  override name = 'ResponseTimeoutError';
  readonly code = 'RESPONSE_TIMEOUT';
}

/** POSTs a form body; resolves with any HTTP answer, rejects on network faults and timeouts. */
export async function postForm(target: Target, body: string, timeouts: TransportTimeouts): Promise<GatewayReply> {
  const pool = await poolFor(target.origin, timeouts.connectMs);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = 0;
    let abort: ((reason: Error) => void) | undefined;
    // One clock for the whole answer: headersTimeout and bodyTimeout each restart on progress.
    const timer = setTimeout(() => {
      const err = new ResponseTimeoutError(`no complete answer within ${timeouts.responseMs} ms`);
      if (abort) abort(err);
      else reject(err);
    }, timeouts.responseMs);
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
        },
        onResponseStart(_controller, statusCode) {
          status = statusCode;
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          clearTimeout(timer);
          resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
        },
        onResponseError(_controller, err) {
          clearTimeout(timer);
          reject(err);
        },
      },
    );
  });
}
