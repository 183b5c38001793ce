// On Lambda a bundle loads its HTTP client while the module loads (the init phase, at full CPU);
// elsewhere on the first send (docs/decisions.md §11). Seen from outside in a fresh node: undici's
// HTTP/1 client brings node's `v8` module with it (for its parser, shared/top/llhttp-module.ts),
// which nothing else in the bundle loads.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DIST } from './support/bundles.js';

/** Loads the bundle, lets its load-time promises run, and says whether undici's client came with it. */
const LOADED = `
require(process.argv[1]);
setImmediate(() => process.stdout.write(String(process.moduleLoadList.includes('NativeModule v8'))));`;

const undiciAtLoad = (env: Record<string, string>) =>
  execFileSync(process.execPath, ['-e', LOADED, join(DIST, 'arrive', 'index.js')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });

it('loads undici at init on Lambda, and not before the first send elsewhere', () => {
  expect(undiciAtLoad({ AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' })).toBe('true');
  expect(undiciAtLoad({})).toBe('false');
});
