import { bodyTooLarge, MAX_BODY_BYTES } from '../body.js';
import { logError } from '../log.js';
import { invalid, type Outcome } from '../outcome.js';
import type { Envelope } from '../triggers/envelope.js';
import { bytesRecord, type HttpResponse, httpEnvelope, json, senderResponse } from '../triggers/http.js';
import { runtimeOf } from './pick.js';
import type { Runtime } from './runtime.js';

/**
 * FC 2.0's HTTP request (docs/platforms.md §5): a readable stream of the body, with the request's
 * `headers`, `method`, `path`, `queries` and `clientIP`. Some runtimes also hand the body over read,
 * as `body`.
 */
interface Fc2Request {
  headers?: unknown;
  method: string;
  body?: unknown;
  on(event: 'data' | 'end' | 'error', listener: (chunk?: unknown) => void): unknown;
  pause?(): unknown;
}

/** FC 2.0's HTTP response: the answer goes out through these, and the caller waits until `send`. */
interface Fc2Response {
  setStatusCode(status: number): void;
  setHeader(name: string, value: string): void;
  send(body: string | Buffer): void;
}

export interface Fc2HttpCall {
  request: Fc2Request;
  response: Fc2Response;
  context: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** FC 2.0 calls a function behind an HTTP trigger as (request, response, context); every other call is (event, context). */
export function fc2HttpCall(request: unknown, response: unknown, context: unknown): Fc2HttpCall | undefined {
  if (!isObject(request) || typeof request.method !== 'string' || typeof request.on !== 'function') return undefined;
  if (!isObject(response) || typeof response.send !== 'function' || typeof response.setStatusCode !== 'function')
    return undefined;
  return { request: request as unknown as Fc2Request, response: response as unknown as Fc2Response, context };
}

type Read = { raw: Buffer } | { refused: Outcome };

/**
 * The body's bytes, read no further than one byte past MAX_BODY_BYTES and no later than the
 * deadline; a body over the bound, a stream that fails or one still open at the deadline ends the
 * request with a 400, before anything is sent.
 */
function readBody(request: Fc2Request, deadline: number): Promise<Read> {
  const given = request.body;
  if (Buffer.isBuffer(given) || typeof given === 'string') {
    const raw = Buffer.from(given);
    return Promise.resolve(raw.length > MAX_BODY_BYTES ? { refused: bodyTooLarge() } : { raw });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (read: Read) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // Stop reading; the stream is the runtime's, and ending it is the runtime's to do.
      if (!('raw' in read)) request.pause?.();
      resolve(read);
    };
    const timer = setTimeout(
      () => finish({ refused: invalid('The body did not arrive before the invocation deadline; nothing was sent.') }),
      Math.max(0, deadline - Date.now()),
    );
    request.on('data', (chunk) => {
      if (done) return;
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += bytes.length;
      if (size > MAX_BODY_BYTES) finish({ refused: bodyTooLarge() });
      else chunks.push(bytes);
    });
    request.on('end', () => finish({ raw: Buffer.concat(chunks) }));
    request.on('error', () => finish({ refused: invalid('The body could not be read; nothing was sent.') }));
  });
}

function send(response: Fc2Response, answer: HttpResponse): void {
  response.setStatusCode(answer.statusCode);
  for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  response.send(answer.body);
}

/**
 * Serves an FC 2.0 HTTP call with the contract of every HTTP trigger: the body is read here, then
 * `run` takes it as one record, and its answer goes out through `response`. The caller is answered
 * whatever happens, even when `run` fails, since FC 2.0 keeps it waiting until `send`.
 */
export async function serveFc2Http(
  call: Fc2HttpCall,
  fn: string,
  run: (runtime: Runtime, opened: Envelope) => Promise<unknown>,
): Promise<void> {
  const runtime = runtimeOf(call.context);
  const id = runtime.requestId ?? 'invocation';
  let answer: HttpResponse;
  try {
    const read = await readBody(call.request, runtime.deadline);
    answer =
      'raw' in read
        ? // An HTTP envelope is answered with an HttpResponse.
          ((await run(
            runtime,
            httpEnvelope('fc2-http', call.request.method, bytesRecord(id, call.request.headers, read.raw)),
          )) as HttpResponse)
        : senderResponse(read.refused);
  } catch (err) {
    logError('fc2_http', { function: fn, platform_request_id: runtime.requestId, error: (err as Error).message });
    answer = json(500, { ok: false, error: { code: 'internal_error', message: 'The event could not be processed.' } });
  }
  send(call.response, answer);
}
