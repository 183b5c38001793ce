// Prints the figures as Markdown tables (docs/decisions.md §9 takes them as they are),
// checks the targets, and writes everything as JSON to bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_BUNDLE_KB } from '../scripts/budget-limits.mjs';
import type { BatchRow } from './batch.js';
import type { ColdStartRow } from './cold-start.js';
import type { CpuRow } from './cpu.js';
import type { Memory } from './memory.js';
import type { ThroughputRow } from './throughput.js';

export interface Results {
  machine: { node: string; cpus: number; cpuModel: string; at: string };
  coldStart?: ColdStartRow;
  cpu?: CpuRow;
  throughput?: ThroughputRow;
  batch?: BatchRow;
  memory?: { events: number; results: Memory[] };
}

const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const signed = (mb: number) => `${mb >= 0 ? '+' : ''}${f(mb)} MB`;
const table = (head: string[], rows: string[][]) =>
  [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

/** The targets of the benchmark issue; each line says whether it was met. */
function targets(r: Results): string[] {
  const lines: string[] = [];
  const check = (ok: boolean, text: string) => lines.push(`${ok ? 'met   ' : 'MISSED'}  ${text}`);
  if (r.coldStart) {
    const own = r.coldStart.results.filter((x) => x.contender === 'parkflow');
    check(
      own.every((x) => x.sizeKb <= MAX_BUNDLE_KB),
      `every bundle at most ${MAX_BUNDLE_KB} KB (largest ${f(Math.max(...own.map((x) => x.sizeKb)))} KB)`,
    );
    const worstNaive = Math.max(...r.coldStart.ratios.map((x) => x.vsNaive));
    const worstSdk = Math.max(...r.coldStart.ratios.map((x) => x.vsSdk));
    check(worstNaive < 0.5, `cold start under half of (a) (at worst ${f(worstNaive, 2)}×)`);
    check(worstSdk < 1, `cold start under (b) (at worst ${f(worstSdk, 2)}×)`);
  }
  if (r.cpu) {
    const worst = Math.max(...r.cpu.results.map((x) => x.parkflowUs));
    check(worst <= 30, `per-event CPU at most 30 µs (at worst ${f(worst)} µs)`);
  }
  if (r.throughput) {
    const at64 = r.throughput.ratios.find((x) => x.inflight === 64)?.vsSdk ?? Number.NaN;
    check(at64 >= 3, `at 64 in flight at least 3× the throughput of (b) (${f(at64, 2)}×)`);
  }
  if (r.memory) {
    const own = r.memory.results.find((x) => x.contender === 'parkflow');
    const growth = own?.secondHalfGrowthMb ?? Number.NaN;
    const heap = own?.secondHalfHeapGrowthMb ?? Number.NaN;
    check(growth < 5, `flat memory (over the second half RSS grew ${f(growth)} MB, the JS heap ${f(heap)} MB)`);
  }
  return lines;
}

export function render(r: Results): string {
  const out: string[] = [];
  out.push(`Node ${r.machine.node}, ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.at}`);
  if (r.coldStart) {
    const c = r.coldStart;
    const cell = (name: string, contender: string) => {
      const x = c.results.find((y) => y.function === name && y.contender === contender);
      return x ? [f(x.sizeKb), f(x.coldMs)] : ['–', '–'];
    };
    out.push(
      `\n**Cold start**: bundle KB; ms for a fresh node to load it and answer its first event, less a bare node start (${f(c.bareNodeMs)} ms)\n`,
      table(
        ['function', 'parkflow KB', 'ms', '(a) naive KB', 'ms', '(b) SDK KB', 'ms', 'parkflow / (a)', 'parkflow / (b)'],
        c.ratios.map((x) => [
          x.function,
          ...cell(x.function, 'parkflow'),
          ...cell(x.function, 'naive'),
          ...cell(x.function, 'sdk'),
          `${f(x.vsNaive, 2)}×`,
          `${f(x.vsSdk, 2)}×`,
        ]),
      ),
    );
  }
  if (r.cpu) {
    out.push(
      '\n**CPU per event**, warm instance, network cut out (µs)\n',
      table(
        ['function', 'parkflow', '(b) SDK', '(b) / parkflow'],
        r.cpu.results.map((x) => [x.function, f(x.parkflowUs), f(x.sdkUs), `${f(x.ratio, 2)}×`]),
      ),
    );
  }
  if (r.throughput) {
    const t = r.throughput;
    const cells = (inflight: number, contender: string) => {
      const x = t.results.find((y) => y.inflight === inflight && y.contender === contender);
      return x ? [f(x.perSecond, 0), f(x.p50Ms, 2), f(x.p99Ms, 2), f(x.cpuUsPerEvent, 0)] : ['–', '–', '–', '–'];
    };
    out.push(
      '\n**Throughput** of one warm instance (arrive) to the sandbox over loopback: events/s, latency ms, instance CPU µs/event\n',
      table(
        ['in flight', 'parkflow ev/s', 'p50', 'p99', 'CPU', '(b) ev/s', 'p50', 'p99', 'CPU', 'parkflow / (b)'],
        t.ratios.map((x) => [
          String(x.inflight),
          ...cells(x.inflight, 'parkflow'),
          ...cells(x.inflight, 'sdk'),
          `${f(x.vsSdk, 2)}×`,
        ]),
      ),
    );
  }
  if (r.batch) {
    const b = r.batch;
    const cells = (delay: number, contender: string) => {
      const x = b.results.find((y) => y.gatewayDelayMs === delay && y.contender === contender);
      return x ? [f(x.wallMs, 0), String(x.peakInFlight)] : ['–', '–'];
    };
    const delays = [...new Set(b.results.map((x) => x.gatewayDelayMs))];
    out.push(
      `\n**${b.records}-record SQS batch** (arrive, TOP_CONCURRENCY 16): wall ms, most requests in flight at the gateway\n`,
      table(
        ['TOP answers in', 'parkflow ms', 'in flight', '(b) SDK ms', 'in flight'],
        delays.map((d) => [`${d} ms`, ...cells(d, 'parkflow'), ...cells(d, 'sdk')]),
      ),
    );
  }
  if (r.memory) {
    const m = r.memory;
    const points = [0, m.events / 10, m.events / 2, m.events];
    out.push(
      `\n**Memory**: RSS MB after a full GC, over ${m.events} events (arrive, 8 in flight)\n`,
      table(
        ['contender', ...points.map((p) => `${p} events`), 'RSS second half', 'heap second half'],
        m.results.map((x) => [
          x.contender === 'parkflow' ? 'parkflow' : '(b) SDK',
          ...points.map((p) => f(x.samples.find((s) => s.events === p)?.rssMb ?? Number.NaN)),
          signed(x.secondHalfGrowthMb),
          signed(x.secondHalfHeapGrowthMb),
        ]),
      ),
    );
  }
  out.push('\nTargets:', ...targets(r).map((line) => `  ${line}`));
  return out.join('\n');
}

/** Writes bench/results/<time>.json and bench/results/latest.json. */
export function save(r: Results): string {
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${r.machine.at.replace(/[:.]/g, '-')}.json`);
  const text = `${JSON.stringify(r, null, 2)}\n`;
  writeFileSync(file, text);
  writeFileSync(join(dir, 'latest.json'), text);
  return file;
}
