// Row 1b: what a cold instance really spends. A fresh node loads a function's bundle, answers 5
// events against the sandbox and exits; the OS counts its CPU (background compiler threads
// included), its peak RSS and the wall time to exit. Beside it in every round: a bare node, and the
// node:http contender (bench/http-transport.ts), the floor of a client that compiles no parser. On
// this node and on Node 22, at full CPU and under a quarter of a vCPU; then init against invoke.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FUNCTIONS } from '../scripts/build.mjs';
import { runChild } from './child.js';
import { buildVariant, swap } from './contenders.js';
import { type NodeBinary, nodes } from './nodes.js';
import { makeQuota, QUOTA_VCPU } from './quota.js';
import { type Bench, httpTemplate, instanceEnv, interleaved, MARK } from './setup.js';
import { median } from './stats.js';

const PROBE = join(import.meta.dirname, 'instance-probe.cjs');
const RUSAGE = join(import.meta.dirname, 'rusage.sh');
const PARSE = join(import.meta.dirname, 'llhttp-parse.cjs');
export const EVENTS = 5;

/**
 * bare: node alone. parkflow: the bundle as built. node:http: the contender. tier-up: parkflow
 * with llhttp left to V8's tiering (as before docs/decisions.md §11), for
 * arrive. eager: parkflow as on Lambda, where it loads undici while the module loads (init)
 * instead of on the first send, for arrive.
 */
export type Runner = 'bare' | 'parkflow' | 'node:http' | 'tier-up' | 'eager';
/** full: no quota. quota: the whole process under it (FC). invoke: init at full CPU, events under it (Lambda). */
export type Mode = 'full' | 'quota' | 'invoke';

export interface Figures {
  cpuMs: number;
  /** Of cpuMs, what loading took (Lambda's init); the rest is the events' and the exit's. */
  initCpuMs: number;
  wallMs: number;
  rssMb: number;
  firstAnswerMs: number;
}

export interface InstanceResult extends Figures {
  node: string;
  function: string;
  runner: Runner;
  mode: Mode;
  /** Medians of the same-round differences with the bare node. */
  overBare: Figures;
}

export interface ColdInstanceRow {
  events: number;
  quotaVcpu: number;
  results: InstanceResult[];
  /** What keeping llhttp on Liftoff costs a warm instance: CPU per parse of one TOP answer. */
  parse: { node: string; bytes: number; liftoffUs: number; tieredUs: number }[];
}

/** undici's HTTP/1 client as it comes, ahead of the build's plugin that gives it the Liftoff-only parser. */
const tieredParser = {
  name: 'tiered-parser',
  setup(build: import('esbuild').PluginBuild) {
    build.onLoad({ filter: /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h1\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8'),
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

/** What bench/rusage.sh wrote: peak RSS in KB, then `times` (the children's line second). */
function osFigures(fd4: string): { cpuMs: number; rssMb: number } {
  const [rss, , children] = fd4.trim().split('\n');
  const seconds = [...(children ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (seconds.length !== 2) throw new Error(`bench/rusage.sh wrote ${JSON.stringify(fd4)}`);
  return { cpuMs: ((seconds[0] ?? 0) + (seconds[1] ?? 0)) * 1000, rssMb: Number(rss) / 1024 };
}

const FIGURES: (keyof Figures)[] = ['cpuMs', 'initCpuMs', 'wallMs', 'rssMb', 'firstAnswerMs'];

export async function coldInstance(bench: Bench): Promise<ColdInstanceRow> {
  const runs = bench.quick ? 3 : 7;
  const http = swap('node-http', /[\\/]transport\.js$/, join(import.meta.dirname, 'http-transport.ts'));
  const files: Record<string, Record<string, string>> = {
    'node:http': Object.fromEntries(
      await Promise.all(FUNCTIONS.map(async (name) => [name, await buildVariant('node-http', name, [http])])),
    ),
    'tier-up': { arrive: await buildVariant('tier-up', 'arrive', [tieredParser]) },
  };
  const fileOf = (runner: Runner, name: string) =>
    runner === 'parkflow' || runner === 'eager' ? bench.bundles.parkflow[name]?.file : files[runner]?.[name];
  const quota = makeQuota();
  const samples = new Map<string, Figures[]>();
  const key = (node: string, name: string, runner: Runner, mode: Mode) => `${node}|${name}|${runner}|${mode}`;

  const once = async (node: NodeBinary, name: string, runner: Runner, mode: Mode, round: number) => {
    const env: Record<string, string> = {
      ...(runner === 'bare' ? {} : instanceEnv(bench, 'parkflow')),
      // What Lambda's runtime sets: the instance then loads undici as the module loads (shared/runtime/instance.ts).
      ...(runner === 'eager' ? { AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' } : {}),
      ...(quota && mode === 'quota' ? { BENCH_CGROUP: quota.procs } : {}),
      ...(quota && mode === 'invoke' ? { BENCH_INIT_CGROUP: quota.procs } : {}),
    };
    const file = fileOf(runner, name);
    const args = runner === 'bare' ? [PROBE] : [PROBE, file as string, httpTemplate(name), MARK, String(EVENTS)];
    const run = await runChild<{ initCpuMs: number }>(args, env, { node: node.path, wrapper: [RUSAGE] });
    const figures = { ...osFigures(run.fd4), ...run.figures, wallMs: run.wallMs, firstAnswerMs: run.answeredMs };
    const list = samples.get(key(node.version, name, runner, mode)) ?? [];
    list[round] = figures;
    samples.set(key(node.version, name, runner, mode), list);
  };

  const modes: Mode[] = quota ? ['full', 'quota'] : ['full'];
  const all = nodes();
  try {
    for (let round = 0; round < runs; round++) {
      for (const node of all) {
        for (const mode of modes) {
          await once(node, 'bare', 'bare', mode, round);
          for (const name of FUNCTIONS) {
            const runners: Runner[] =
              name === 'arrive' ? ['parkflow', 'node:http', 'tier-up'] : ['parkflow', 'node:http'];
            await interleaved(runners, round, (runner) => once(node, name, runner, mode, round));
          }
        }
        if (quota) {
          await once(node, 'bare', 'bare', 'invoke', round);
          await interleaved<Runner>(['parkflow', 'eager'], round, (runner) =>
            once(node, 'arrive', runner, 'invoke', round),
          );
        }
      }
    }
  } finally {
    quota?.remove();
  }

  const results: InstanceResult[] = [];
  for (const [k, list] of samples) {
    const [node = '', name = '', runner, mode] = k.split('|') as [string, string, Runner, Mode];
    const bare = samples.get(key(node, 'bare', 'bare', mode)) ?? [];
    const med = (pick: (f: Figures, i: number) => number) => median(list.map(pick));
    const figures = Object.fromEntries(FIGURES.map((f) => [f, med((x) => x[f])])) as unknown as Figures;
    const overBare = Object.fromEntries(
      FIGURES.map((f) => [f, med((x, i) => x[f] - (bare[i]?.[f] ?? Number.NaN))]),
    ) as unknown as Figures;
    results.push({ node, function: name, runner, mode, ...figures, overBare });
  }
  const wasm = join(dirname(bench.bundles.parkflow.arrive?.file as string), 'llhttp.wasm');
  const parse: ColdInstanceRow['parse'] = [];
  for (const node of all) {
    const us: Record<string, number[]> = { liftoff: [], tiered: [] };
    let bytes = 0;
    for (let round = 0; round < 3; round++)
      await interleaved(['liftoff', 'tiered'], round, async (mode) => {
        const run = await runChild<{ us: number; bytes: number }>([PARSE, wasm, mode], {}, { node: node.path });
        us[mode]?.push(run.figures.us);
        bytes = run.figures.bytes;
      });
    parse.push({ node: node.version, bytes, liftoffUs: median(us.liftoff ?? []), tieredUs: median(us.tiered ?? []) });
  }
  return { events: EVENTS, quotaVcpu: QUOTA_VCPU, results, parse };
}
