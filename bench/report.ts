// Prints the figures as Markdown tables (docs/decisions.md §9 takes them as they are),
// checks the targets, and writes everything as JSON to bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_BUNDLE_KB } from '../scripts/budget-limits.mjs';
import type { BatchRow } from './batch.js';
import type { ColdInstanceRow, InstanceResult, Mode, Runner } from './cold-instance.js';
import type { ColdStartRow } from './cold-start.js';
import type { CpuRow } from './cpu.js';
import type { Memory } from './memory.js';
import type { SharedRate } from './shared-rate.js';
import type { ThroughputRow } from './throughput.js';

export interface Results {
  machine: { node: string; cpus: number; cpuModel: string; at: string; loadAverage?: number[] };
  coldStart?: ColdStartRow;
  coldInstance?: ColdInstanceRow;
  cpu?: CpuRow;
  throughput?: ThroughputRow;
  batch?: BatchRow;
  memory?: { events: number; results: Memory[] };
  sharedRate?: SharedRate[];
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
  if (r.coldInstance) {
    const own = r.coldInstance.results.filter((x) => x.runner === 'parkflow' && x.mode === 'full');
    for (const node of new Set(own.map((x) => x.node))) {
      const on = own.filter((x) => x.node === node);
      const worst = (f: 'cpuMs' | 'wallMs' | 'rssMb') => Math.max(...on.map((x) => x.overBare[f]));
      check(
        worst('cpuMs') <= 50,
        `Node ${node}: CPU for load + ${r.coldInstance.events} events at most bare node + 50 ms (at worst +${f(worst('cpuMs'), 0)} ms)`,
      );
      check(
        worst('wallMs') <= 50,
        `Node ${node}: wall to exit at most bare node + 50 ms (at worst +${f(worst('wallMs'), 0)} ms)`,
      );
      check(
        worst('rssMb') <= 15,
        `Node ${node}: peak RSS at most bare node + 15 MB (at worst ${signed(worst('rssMb'))})`,
      );
    }
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
  for (const s of r.sharedRate?.filter((x) => x.rateLimit !== undefined) ?? []) {
    check(
      s.ofRate >= 0.9,
      `shared rate (${s.store}): at least 90% of TOP_RATE_LIMIT drained (${f(s.ofRate * 100, 0)}%)`,
    );
    check(s.code7 === 0, `shared rate (${s.store}): no code 7 answer (${s.code7})`);
  }
  return lines;
}

export function render(r: Results): string {
  const out: string[] = [];
  out.push(
    `Node ${r.machine.node}, ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.at}${r.machine.loadAverage ? `, load average at the end ${r.machine.loadAverage.map((x) => f(x)).join(' ')}` : ''}`,
  );
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
  if (r.coldInstance) out.push(...renderColdInstance(r.coldInstance));
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
  if (r.sharedRate) {
    const [first] = r.sharedRate;
    out.push(
      `\n**Shared rate**: ${first?.instances} instances (arrive, sharing one store) drain ${first?.events} queued events in SQS batches of 100 through a gateway that bans the app for 5 s (code 7) past ${first?.gatewayLimit} calls in any second\n`,
      table(
        [
          'store',
          'TOP_RATE_LIMIT',
          'burst',
          'delivered',
          'wall s',
          'events/s',
          'of the rate',
          'busiest second',
          'code 7 answers',
          'records retried',
        ],
        r.sharedRate.map((s) => [
          s.store,
          s.rateLimit === undefined ? 'unset' : String(s.rateLimit),
          s.burst === undefined ? '' : String(s.burst),
          String(s.delivered),
          f(s.wallMs / 1000),
          f(s.perSecond),
          `${f(s.ofRate * 100, 0)}%${s.rateLimit === undefined ? ' of the gateway limit' : ''}`,
          String(s.busiestSecond),
          String(s.code7),
          String(s.retried),
        ]),
      ),
    );
  }
  out.push('\nTargets:', ...targets(r).map((line) => `  ${line}`));
  return out.join('\n');
}

function renderColdInstance(c: ColdInstanceRow): string[] {
  const find = (node: string, name: string, runner: Runner, mode: Mode) =>
    c.results.find((x) => x.node === node && x.function === name && x.runner === runner && x.mode === mode);
  const nodes = [...new Set(c.results.map((x) => x.node))];
  const fns = [...new Set(c.results.filter((x) => x.runner === 'parkflow').map((x) => x.function))];
  const over = (x: InstanceResult | undefined, field: 'cpuMs' | 'initCpuMs' | 'wallMs' | 'firstAnswerMs') =>
    x ? `+${f(x.overBare[field], 0)}` : '–';
  const bare = (mode: Mode) =>
    nodes
      .map((node) => {
        const x = find(node, 'bare', 'bare', mode);
        return x ? `Node ${node} ${f(x.cpuMs, 0)} ms CPU, ${f(x.wallMs, 0)} ms to exit, ${f(x.rssMb)} MB` : '';
      })
      .join('; ');
  const out = [
    `\n**Cold instance**: a fresh node loads the bundle, answers ${c.events} events against the sandbox and exits. Whole-process CPU (user+sys, threads included), wall time to exit, peak RSS and the first answer, each over a bare node in the same round (bare: ${bare('full')})\n`,
    table(
      [
        'node',
        'function',
        'CPU ms',
        'of it, load',
        'node:http',
        'to exit ms',
        'node:http',
        'peak RSS',
        'node:http',
        'first answer ms',
        'node:http',
      ],
      nodes.flatMap((node) =>
        fns.map((name) => {
          const own = find(node, name, 'parkflow', 'full');
          const http = find(node, name, 'node:http', 'full');
          return [
            node,
            name,
            over(own, 'cpuMs'),
            over(own, 'initCpuMs'),
            over(http, 'cpuMs'),
            over(own, 'wallMs'),
            over(http, 'wallMs'),
            own ? signed(own.overBare.rssMb) : '–',
            http ? signed(http.overBare.rssMb) : '–',
            over(own, 'firstAnswerMs'),
            over(http, 'firstAnswerMs'),
          ];
        }),
      ),
    ),
  ];
  if (c.results.some((x) => x.mode === 'quota')) {
    out.push(
      `\n**Cold instance at ${c.quotaVcpu} vCPU** (a CPU quota over the whole process): ms from spawn to the first answer, and to exit after ${c.events} events (bare: ${bare('quota')})\n`,
      table(
        ['node', 'function', 'first answer', 'node:http', 'to exit', 'node:http', 'bare to exit'],
        nodes.flatMap((node) =>
          fns.map((name) => {
            const own = find(node, name, 'parkflow', 'quota');
            const http = find(node, name, 'node:http', 'quota');
            const b = find(node, 'bare', 'bare', 'quota');
            return [
              node,
              name,
              f(own?.firstAnswerMs ?? Number.NaN, 0),
              f(http?.firstAnswerMs ?? Number.NaN, 0),
              f(own?.wallMs ?? Number.NaN, 0),
              f(http?.wallMs ?? Number.NaN, 0),
              f(b?.wallMs ?? Number.NaN, 0),
            ];
          }),
        ),
      ),
    );
  }
  if (c.results.some((x) => x.runner === 'tier-up')) {
    const cells = (x: InstanceResult | undefined) =>
      x
        ? [
            `+${f(x.overBare.cpuMs, 0)}`,
            `+${f(x.overBare.wallMs, 0)}`,
            signed(x.overBare.rssMb),
            f(x.firstAnswerMs, 0),
            f(x.wallMs, 0),
          ]
        : ['–', '–', '–', '–', '–'];
    out.push(
      "\n**llhttp on Liftoff only against V8's own tiering** (arrive, as built and as before): CPU, wall to exit and peak RSS over bare node at full CPU; ms from spawn to the first answer and to exit at the quota\n",
      table(
        ['node', 'parser', 'CPU ms', 'to exit ms', 'peak RSS', `first answer at ${c.quotaVcpu} vCPU`, 'to exit'],
        nodes.flatMap((node) =>
          (['parkflow', 'tier-up'] as const).map((runner) => {
            const full = find(node, 'arrive', runner, 'full');
            const quota = find(node, 'arrive', runner, 'quota');
            const [cpu, wall, rss] = cells(full);
            const [, , , first, exit] = cells(quota);
            return [
              node,
              runner === 'parkflow' ? 'Liftoff only' : 'tiered up by V8',
              cpu,
              wall,
              rss,
              first,
              exit,
            ] as string[];
          }),
        ),
      ),
    );
  }
  out.push(
    `\nWhat Liftoff costs a warm instance: CPU per parse of a ${c.parse[0]?.bytes ?? '–'}-byte TOP answer by llhttp, ${c.parse
      .map((p) => `Node ${p.node} ${f(p.liftoffUs, 2)} µs on Liftoff, ${f(p.tieredUs, 2)} µs once V8 has tiered it up`)
      .join('; ')}.`,
  );
  if (c.results.some((x) => x.mode === 'invoke')) {
    out.push(
      `\n**Init against invoke** (arrive): init at full CPU, then the events at ${c.quotaVcpu} vCPU, as on Lambda. undici loaded on the first send (as on FC) or at init (as on Lambda, whose runtime sets AWS_LAMBDA_INITIALIZATION_TYPE); ms from spawn\n`,
      table(
        [
          'node',
          'undici loaded',
          'CPU ms at init',
          'CPU ms for the events and exit',
          'first answer',
          'to exit',
          'CPU ms over bare',
        ],
        nodes.flatMap((node) =>
          (['parkflow', 'eager'] as const).map((runner) => {
            const x = find(node, 'arrive', runner, 'invoke');
            const init = x ? x.overBare.initCpuMs : Number.NaN;
            return [
              node,
              runner === 'parkflow' ? 'on the first send' : 'at init',
              `+${f(init, 0)}`,
              `+${f((x?.overBare.cpuMs ?? Number.NaN) - init, 0)}`,
              f(x?.firstAnswerMs ?? Number.NaN, 0),
              f(x?.wallMs ?? Number.NaN, 0),
              over(x, 'cpuMs'),
            ];
          }),
        ),
      ),
    );
  }
  return out;
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
