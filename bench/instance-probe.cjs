'use strict';
// One cold instance, run under bench/rusage.sh: a fresh node loads a bundle, answers `count` events
// one after another and exits. It writes to fd 3 at its first answer, which the parent times, with
// the CPU the process had used when loaded (init). Without arguments it writes at once and exits:
// the bare node process beside every figure. With BENCH_INIT_CGROUP (a cgroup.procs file) it moves
// itself into that cgroup once loaded, as Lambda runs init at full CPU and the invocations on the
// function's share.
const { writeFileSync, writeSync } = require('node:fs');
const [file, template, mark, count] = process.argv.slice(2);
/** All threads' user + system CPU so far, ms. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
if (!file) {
  writeSync(3, JSON.stringify({ initCpuMs: cpuMs() }));
  process.exit(0);
}
const { handler } = require(file);
const base = Date.now() - 86_400_000 - Math.floor(Math.random() * 1e6) * 60_000;
const context = { awsRequestId: 'cold-instance', getRemainingTimeInMillis: () => 10_000 };
(async () => {
  // What init would run before the first invocation: the module's own promises.
  await new Promise(setImmediate);
  const initCpuMs = cpuMs();
  if (process.env.BENCH_INIT_CGROUP) writeFileSync(process.env.BENCH_INIT_CGROUP, String(process.pid));
  for (let i = 0; i < Number(count); i++) {
    const event = JSON.parse(template.replaceAll(mark, String(base + i * 1000)));
    const answer = await handler(event, context);
    if (answer.statusCode !== 200) throw new Error(`event ${i} got ${answer.statusCode}: ${answer.body}`);
    if (i === 0) writeSync(3, JSON.stringify({ initCpuMs }));
  }
  process.exit(0);
})();
