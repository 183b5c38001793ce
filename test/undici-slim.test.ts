// undici as the bundles carry it (scripts/build.mjs): the send path our transport uses still works,
// and a part left out fails its request with an error that says so.
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOptions, UNUSED_UNDICI_ERRORS } from '../scripts/build.mjs';

const require = createRequire(import.meta.url);

/** POSTs one body through undici's Pool, with the handler API the transport uses. */
const PROBE = `
const Pool = require('undici/lib/dispatcher/pool.js');
exports.errors = require('undici/lib/core/errors.js');
exports.post = (origin, body) => new Promise((resolve, reject) => {
  const pool = new Pool(origin);
  const chunks = [];
  let status = 0;
  const done = (settle, value) => pool.close().then(() => settle(value));
  pool.dispatch({ path: '/', method: 'POST', body }, {
    onRequestStart() {},
    onResponseStart(_c, statusCode) { status = statusCode; },
    onResponseData(_c, chunk) { chunks.push(chunk); },
    onResponseEnd() { done(resolve, { status, body: Buffer.concat(chunks).toString() }); },
    onResponseError(_c, err) { done(reject, err); },
  });
});`;

type Post = (origin: string, body: unknown) => Promise<{ status: number; body: string }>;
type ErrorClass = new (message?: string) => Error;
type Probe = { post: Post; errors: Record<string, ErrorClass> };

const root = join(import.meta.dirname, '..');
let dir: string;
let post: Post;
let errors: Probe['errors'];
let server: Server;
let origin: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parkflow-undici-'));
  const outfile = join(dir, 'index.js');
  const { entryPoints: _, ...options } = bundleOptions('arrive', outfile);
  await esbuild.build({
    ...options,
    stdin: { contents: PROBE, resolveDir: root, loader: 'js' },
  });
  ({ post, errors } = require(outfile) as Probe);
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.end(`got ${Buffer.concat(chunks).toString()}`));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server?.closeAllConnections();
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("undici as parkflow's bundles carry it", () => {
  it('sends a string body and a Buffer body, and reads the answer', async () => {
    expect(await post(origin, 'a=1&b=2')).toEqual({ status: 200, body: 'got a=1&b=2' });
    expect(await post(origin, Buffer.from('c=3'))).toEqual({ status: 200, body: 'got c=3' });
    expect(await post(origin, '')).toEqual({ status: 200, body: 'got ' });
  });

  it('fails a streamed, Blob or async-iterable body with an error naming what is left out', async () => {
    const leftOut = /request bodies other than strings and Buffers are left out of parkflow's bundle/;
    await expect(post(origin, Readable.from(['x']))).rejects.toThrow(leftOut);
    await expect(post(origin, new Blob(['x']))).rejects.toThrow(leftOut);
    await expect(
      post(
        origin,
        (async function* () {
          yield 'x';
        })(),
      ),
    ).rejects.toThrow(leftOut);
    // The pool goes on serving what the bundle does carry.
    expect(await post(origin, 'after')).toEqual({ status: 200, body: 'got after' });
  });

  it('leaves out only undici errors that no bundled module names, each throwing if ever made', async () => {
    const { metafile } = await esbuild.build({
      ...bundleOptions('arrive', join(dir, 'arrive', 'index.js')),
      metafile: true,
    });
    const undiciFiles = Object.keys(metafile.inputs).filter(
      (file) => file.includes('node_modules/undici/lib/') && !file.endsWith('core/errors.js'),
    );
    expect(undiciFiles.length).toBeGreaterThan(10);
    for (const file of undiciFiles) {
      const source = readFileSync(join(root, file), 'utf8');
      for (const name of UNUSED_UNDICI_ERRORS)
        expect(source, `${file} names ${name}`).not.toMatch(new RegExp(`\\b${name}\\b`));
    }
    for (const name of UNUSED_UNDICI_ERRORS)
      expect(() => new (errors[name] as ErrorClass)()).toThrow(`undici's ${name} is left out of parkflow's bundle`);
    // The errors the bundle does use are undici's own.
    expect(new (errors.SocketError as ErrorClass)('closed')).toMatchObject({
      code: 'UND_ERR_SOCKET',
      message: 'closed',
    });
  });
});
