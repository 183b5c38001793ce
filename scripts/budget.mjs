// Bundle budget: size and the time a fresh node takes to require each bundle. Prints the figures;
// exits non-zero when a bundle is over budget.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_BUNDLE_KB, MAX_REQUIRE_MS } from './budget-limits.mjs';
import { FUNCTIONS } from './build.mjs';

const RUNS = 15;

const dist = join(import.meta.dirname, '..', 'dist');
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall time of `require(file)` in a fresh node process, measured inside that process. */
function requireMs(file) {
  const probe = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  const times = [];
  for (let i = 0; i < RUNS; i++)
    times.push(Number(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })));
  return median(times);
}

let over = false;
console.log(
  `bundle budget: at most ${MAX_BUNDLE_KB} KB and ${MAX_REQUIRE_MS} ms to require (median of ${RUNS} fresh processes)`,
);
console.log('function       size KB  zip KB  require ms');
for (const name of FUNCTIONS) {
  const file = join(dist, name, 'index.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  const kb = statSync(file).size / 1024;
  const zipKb = statSync(join(dist, `${name}.zip`)).size / 1024;
  const ms = requireMs(file);
  const ok = kb <= MAX_BUNDLE_KB && ms <= MAX_REQUIRE_MS;
  over ||= !ok;
  console.log(
    `${name.padEnd(14)} ${kb.toFixed(1).padStart(7)} ${zipKb.toFixed(1).padStart(7)} ${ms.toFixed(1).padStart(11)}  ${ok ? 'ok' : 'OVER BUDGET'}`,
  );
}
process.exit(over ? 1 : 0);
