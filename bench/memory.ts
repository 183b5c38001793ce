// Row 5: RSS of one warm instance (arrive) over 100,000 events, 8 in flight, after a full GC every 10,000.
// The in-memory idempotency store fills up at 10,000 keys: memory can level off only after that, so
// the run goes well past it and judges the second half.
import { HOST, runChild } from './child.js';
import type { ContenderName } from './contenders.js';
import { type Bench, httpJob, instanceEnv } from './setup.js';

export interface Memory {
  contender: ContenderName;
  samples: { events: number; rssMb: number; heapMb: number }[];
  /** RSS growth over the second half of the run: near zero when memory has levelled off. */
  secondHalfGrowthMb: number;
  /** The same for the JS heap: what the instance's own objects take. */
  secondHalfHeapGrowthMb: number;
}

const CONTENDERS: ContenderName[] = ['parkflow', 'sdk'];
const MB = 1024 * 1024;

export async function memory(bench: Bench): Promise<{ events: number; results: Memory[] }> {
  const events = bench.quick ? 4_000 : 100_000;
  const results: Memory[] = [];
  for (const contender of CONTENDERS) {
    bench.sandbox.reset();
    const job = httpJob(bench, contender, 'arrive', {
      mode: 'memory',
      inflight: 8,
      count: events,
      sampleEvery: events / 10,
    });
    const run = await runChild<{ samples: { events: number; rss: number; heapUsed: number }[]; failures: number }>(
      [HOST],
      instanceEnv(bench, contender),
      { input: JSON.stringify(job), nodeFlags: ['--expose-gc'] },
    );
    if (run.figures.failures > 0) throw new Error(`${contender}: ${run.figures.failures} events failed`);
    const samples = run.figures.samples.map((s) => ({ events: s.events, rssMb: s.rss / MB, heapMb: s.heapUsed / MB }));
    const at = (n: number) => samples.find((s) => s.events === n) ?? { rssMb: Number.NaN, heapMb: Number.NaN };
    results.push({
      contender,
      samples,
      secondHalfGrowthMb: at(events).rssMb - at(events / 2).rssMb,
      secondHalfHeapGrowthMb: at(events).heapMb - at(events / 2).heapMb,
    });
  }
  bench.sandbox.reset();
  return { events, results };
}
