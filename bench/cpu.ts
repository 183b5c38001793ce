// Row 2: CPU per event in a warm instance, the network cut out (bench/stubs): envelope,
// validation, idempotency, signing, request building, response parsing and the log line.
import { FUNCTIONS } from '../scripts/build.mjs';
import { HOST, runChild } from './child.js';
import type { ContenderName } from './contenders.js';
import { type Bench, httpJob, instanceEnv, interleaved } from './setup.js';
import { median, medianRatio } from './stats.js';

export interface CpuRow {
  results: { function: string; parkflowUs: number; sdkUs: number; ratio: number }[];
}

const CONTENDERS: ContenderName[] = ['parkflow', 'sdk'];

export async function cpu(bench: Bench): Promise<CpuRow> {
  const runs = bench.quick ? 3 : 5;
  const results: CpuRow['results'] = [];
  for (const name of FUNCTIONS) {
    const us: Record<string, number[]> = { parkflow: [], sdk: [] };
    for (let round = 0; round < runs; round++) {
      await interleaved(CONTENDERS, round, async (contender) => {
        const job = httpJob(bench, contender, name, {
          mode: 'cpu',
          offline: true,
          // A warm instance has served traffic for a while: the first few thousand events still pay
          // for compiling the hot code and for collecting what warming up left behind.
          warmup: 10_000,
          count: bench.quick ? 3_000 : 5_000,
        });
        const run = await runChild<{ cpuUsPerEvent: number; failures: number; firstFailure: unknown }>(
          [HOST],
          instanceEnv(bench, contender, name),
          { input: JSON.stringify(job) },
        );
        if (run.figures.failures > 0)
          throw new Error(`${contender} ${name}: ${JSON.stringify(run.figures.firstFailure).slice(0, 500)}`);
        us[contender]?.push(run.figures.cpuUsPerEvent);
      });
    }
    results.push({
      function: name,
      parkflowUs: median(us.parkflow ?? []),
      sdkUs: median(us.sdk ?? []),
      ratio: medianRatio(us.sdk ?? [], us.parkflow ?? []),
    });
  }
  return { results };
}
