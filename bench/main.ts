// `npm run bench [-- --quick] [-- --only cold,instance,cpu,throughput,batch,memory,shared-rate]`: parkflow against a
// naive build of itself (a) and the same handler on node-taobao-topclient (b), in one run.
import { cpus, loadavg } from 'node:os';
import { startSandbox } from '../dev/sandbox/index.js';
import { batch } from './batch.js';
import { PROBE, runChild } from './child.js';
import { coldInstance } from './cold-instance.js';
import { coldStart } from './cold-start.js';
import { buildContenders } from './contenders.js';
import { cpu } from './cpu.js';
import { memory } from './memory.js';
import { type Results, render, save } from './report.js';
import { type Bench, httpTemplate, instanceEnv, MARK } from './setup.js';
import { sharedRate } from './shared-rate.js';
import { throughput } from './throughput.js';

const args = process.argv.slice(2);
const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '').split(',') : undefined;
const wanted = (row: string) => !only || only.includes(row);

const bundles = await buildContenders();
const sandbox = await startSandbox();
const bench: Bench = { sandbox, bundles, answers: {}, quick: args.includes('--quick') };
const results: Results = {
  machine: {
    node: process.versions.node,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '?',
    at: new Date().toISOString(),
  },
};
try {
  // One event per function through parkflow: checks the setup, and records each gateway answer for the CPU row.
  for (const name of Object.keys(bundles.parkflow)) {
    const event = httpTemplate(name).replaceAll(MARK, String(Date.now() - 60_000));
    await runChild([PROBE, bundles.parkflow[name]?.file as string, event], instanceEnv(bench, 'parkflow'));
    bench.answers[name] = JSON.stringify(sandbox.calls.at(-1)?.response);
  }
  const rows = [
    ['cold', async () => (results.coldStart = await coldStart(bench))],
    ['instance', async () => (results.coldInstance = await coldInstance(bench))],
    ['cpu', async () => (results.cpu = await cpu(bench))],
    ['throughput', async () => (results.throughput = await throughput(bench))],
    ['batch', async () => (results.batch = await batch(bench))],
    ['memory', async () => (results.memory = await memory(bench))],
    ['shared-rate', async () => (results.sharedRate = await sharedRate(bench))],
  ] as const;
  for (const [row, run] of rows) {
    if (!wanted(row)) continue;
    const started = Date.now();
    await run();
    console.error(`[bench] ${row} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
} finally {
  await sandbox.close();
}
// Wall times are only as steady as the machine: other work on it shows here.
results.machine.loadAverage = loadavg();
console.log(render(results));
console.log(`\nfigures: ${save(results)}`);
