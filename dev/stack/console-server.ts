import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FUNCTION_NAMES } from '../../shared/registry.js';
import { sendError, sendJson, sendText } from '../sandbox/http-util.js';
import type { EventFeed } from './feed.js';
import { sample } from './samples.js';

const PAGE = readFileSync(join(import.meta.dirname, 'console.html'), 'utf8');
const HEARTBEAT_MS = 15_000;

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The console: the page at `/`, its live feed of events at `/events` (Server-Sent Events, every
 * event so far first), the same as JSON at `/api/events` (newest first), and the sandbox's admin
 * API passed through at `/_admin/…`, so the page's fault switches are the sandbox's own. Its form
 * posts to `/send/<function>`, passed through to the functions, with samples from `/api/samples`.
 */
export async function startConsole(options: {
  port: number;
  feed: EventFeed;
  sandboxOrigin: string;
  functionsOrigin: string;
}): Promise<ConsoleServer> {
  const { feed, sandboxOrigin, functionsOrigin } = options;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://console.invalid').pathname;
    const pass = (url: string, unreachable: string) => {
      const upstream = request(url, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', (err) => sendError(res, 502, unreachable, err.message));
      req.pipe(upstream);
    };
    if (path.startsWith('/_admin')) return pass(`${sandboxOrigin}${req.url}`, 'sandbox_unreachable');
    if (path.startsWith('/send/'))
      return pass(`${functionsOrigin}/${path.slice('/send/'.length)}`, 'functions_unreachable');
    if (req.method !== 'GET') return sendError(res, 405, 'method_not_allowed', 'the console only serves GET');
    if (path === '/') return sendText(res, 200, PAGE, 'text/html;charset=UTF-8');
    if (path === '/api/samples') {
      const samples = FUNCTION_NAMES.map((fn) => [fn, { valid: sample(fn), invalid: sample(fn, { invalid: true }) }]);
      return sendJson(res, 200, Object.fromEntries(samples));
    }
    if (path === '/api/events') return sendJson(res, 200, feed.events().toReversed());
    if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream;charset=UTF-8', 'cache-control': 'no-cache' });
      // Sent now, so the page knows it is connected before the first event.
      res.flushHeaders();
      const send = (event: unknown) => res.write(`data: ${JSON.stringify(event)}\n\n`);
      for (const event of feed.events()) send(event);
      const unsubscribe = feed.subscribe(send);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      res.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
      return;
    }
    sendError(res, 404, 'not_found', `nothing at ${path}; the console is at /`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open event streams would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
