'use strict';
// One cold start with a shared store or a secret to read: a fresh node loads the bundle, answers one
// event and writes its figures to fd 3. The settings named in BENCH_LATER are set only once the
// bundle has loaded, so what they start happens on the first event instead of as the bundle loads;
// BENCH_IDLE_MS is how long the instance waits for its first event (an instance started ahead of
// traffic), not counted. Without an event, it times the require of one AWS SDK client.
const { writeSync } = require('node:fs');
const [file, event] = process.argv.slice(2);
const started = performance.now();
if (!event) {
  require(file);
  writeSync(3, JSON.stringify({ requireMs: performance.now() - started }));
  process.exit(0);
}
const later = (process.env.BENCH_LATER ?? '').split(',').filter(Boolean);
const values = later.map((name) => process.env[name]);
for (const name of later) delete process.env[name];
const { handler } = require(file);
const loaded = performance.now();
later.forEach((name, i) => {
  process.env[name] = values[i];
});
setTimeout(
  () => {
    const invoked = performance.now();
    handler(JSON.parse(event), { awsRequestId: 'cold-start', getRemainingTimeInMillis: () => 10_000 }).then(
      (answer) => {
        const figures = {
          requireMs: loaded - started,
          firstEventMs: performance.now() - invoked,
          status: answer.statusCode,
        };
        writeSync(3, JSON.stringify(figures));
        process.exit(0);
      },
    );
  },
  Number(process.env.BENCH_IDLE_MS ?? 0),
);
