// A bundle keeps llhttp on Liftoff (docs/decisions.md §11): a fresh
// instance answers 50 events, and V8's own trace of its WebAssembly compiles shows no TurboFan.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sandbox } from '../dev/sandbox/index.js';
import { sample } from '../dev/stack/samples.js';
import { DIST } from './support/bundles.js';
import { apigwHttp } from './support/events.js';
import { envFor, gateway } from './support/gateway.js';

const EVENTS = 50;

/** One instance, as a runtime runs it: loads the bundle, then answers the events one after another. */
const INSTANCE = `
const { handler } = require(process.argv[1]);
const events = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const context = { awsRequestId: 'tiering', getRemainingTimeInMillis: () => 10000 };
(async () => {
  for (const event of events) {
    const answer = await handler(event, context);
    if (answer.statusCode !== 200) throw new Error('answer ' + answer.statusCode + ': ' + answer.body);
  }
})();`;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await gateway();
});
afterAll(() => sandbox.close());

it(`compiles no part of the HTTP parser with TurboFan within the first ${EVENTS} events`, async () => {
  const base = Date.now() - 86_400_000;
  const events = Array.from({ length: EVENTS }, (_, i) => apigwHttp(sample('arrive', { now: base + i * 1000 })));
  const run = promisify(execFile)(
    process.execPath,
    ['--trace-wasm-compilation-times', '-e', INSTANCE, join(DIST, 'arrive', 'index.js')],
    { env: { PATH: process.env.PATH ?? '', ...envFor(sandbox) }, maxBuffer: 64 * 1024 * 1024 },
  );
  run.child.stdin?.end(JSON.stringify(events));
  const { stdout } = await run;
  const compiles = stdout.split('\n').filter((line) => line.startsWith('Compiled function'));
  expect(sandbox.calls).toHaveLength(EVENTS);
  // The trace works on this node: the parser's functions show up, compiled by Liftoff.
  expect(compiles.filter((line) => line.includes('using Liftoff')).length).toBeGreaterThan(0);
  expect(compiles.filter((line) => line.includes('using TurboFan'))).toEqual([]);
});
