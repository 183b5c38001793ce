'use strict';
// One cold start: a fresh node loads a bundle, answers one event and writes its figures to fd 3,
// which the parent times. Without arguments it writes at once: that is the bare node start
// subtracted from every figure. (Exit is not timed: undici's WebAssembly keeps V8's compiler
// threads busy well after the answer, and the process waits for them on exit.)
const { writeSync } = require('node:fs');
const [file, event] = process.argv.slice(2);
if (!file) {
  writeSync(3, '{}');
  process.exit(0);
}
const started = performance.now();
const { handler } = require(file);
const loaded = performance.now();
handler(JSON.parse(event), { awsRequestId: 'cold-start', getRemainingTimeInMillis: () => 10_000 }).then((answer) => {
  const figures = { requireMs: loaded - started, firstEventMs: performance.now() - loaded, status: answer.statusCode };
  writeSync(3, JSON.stringify(figures));
  process.exit(0);
});
