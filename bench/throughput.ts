// Row 3: one warm instance (arrive) to the sandbox over loopback, 1, 8 and 64 events in flight.
import { HOST, runChild } from './child.js';
import type { ContenderName } from './contenders.js';
import { type Bench, httpJob, instanceEnv, interleaved } from './setup.js';
import { median, medianRatio, percentile } from './stats.js';

interface LoadFigures {
  perSecond: number;
  latencies: number[];
  cpuUsPerEvent: number;
  failures: number;
  firstFailure: unknown;
}

export interface Throughput {
  contender: ContenderName;
  inflight: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The instance process's CPU per event, HTTP client included (the gateway runs in another process). */
  cpuUsPerEvent: number;
}

export interface ThroughputRow {
  results: Throughput[];
  /** parkflow's events per second over (b)'s, per level: median of same-round ratios. */
  ratios: { inflight: number; vsSdk: number }[];
}

const CONTENDERS: ContenderName[] = ['parkflow', 'sdk'];
const LEVELS = [1, 8, 64];

export async function throughput(bench: Bench): Promise<ThroughputRow> {
  const runs = bench.quick ? 3 : 5;
  const results: Throughput[] = [];
  const ratios: ThroughputRow['ratios'] = [];
  for (const inflight of LEVELS) {
    const runsOf: Record<string, LoadFigures[]> = { parkflow: [], sdk: [] };
    for (let round = 0; round < runs; round++) {
      await interleaved(CONTENDERS, round, async (contender) => {
        bench.sandbox.reset();
        const job = httpJob(bench, contender, 'arrive', {
          mode: 'load',
          inflight,
          warmup: 2_000,
          count: bench.quick ? 1_000 : 3_000,
        });
        const run = await runChild<LoadFigures>([HOST], instanceEnv(bench, contender), {
          input: JSON.stringify(job),
        });
        if (run.figures.failures > 0)
          throw new Error(`${contender} at ${inflight}: ${JSON.stringify(run.figures.firstFailure).slice(0, 500)}`);
        runsOf[contender]?.push(run.figures);
      });
    }
    for (const contender of CONTENDERS) {
      const list = runsOf[contender] ?? [];
      results.push({
        contender,
        inflight,
        perSecond: median(list.map((r) => r.perSecond)),
        p50Ms: median(list.map((r) => percentile(r.latencies, 50))),
        p99Ms: median(list.map((r) => percentile(r.latencies, 99))),
        cpuUsPerEvent: median(list.map((r) => r.cpuUsPerEvent)),
      });
    }
    const rate = (c: ContenderName) => (runsOf[c] ?? []).map((r) => r.perSecond);
    ratios.push({ inflight, vsSdk: medianRatio(rate('parkflow'), rate('sdk')) });
  }
  bench.sandbox.reset();
  return { results, ratios };
}
