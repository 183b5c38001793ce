// Row 4: one 500-record SQS batch to a warm instance (arrive): wall time, and the most requests
// in flight toward TOP, read at the gateway, with TOP answering at once and in 20 ms.

import { sample } from '../dev/stack/samples.js';
import type { FunctionName } from '../shared/registry.js';
import { sqsEvent } from '../test/support/queue-events.js';
import { HOST, runChild } from './child.js';
import type { ContenderName } from './contenders.js';
import { BASE, type Bench, instanceEnv, interleaved } from './setup.js';
import { median } from './stats.js';

export interface Batch {
  contender: ContenderName;
  gatewayDelayMs: number;
  wallMs: number;
  peakInFlight: number;
}

export interface BatchRow {
  records: number;
  results: Batch[];
}

const CONTENDERS: ContenderName[] = ['parkflow', 'sdk'];
const RECORDS = 500;
const DELAYS = [0, 20];

const batchOf = async (first: number, count: number) =>
  JSON.stringify(
    await sqsEvent(
      Array.from({ length: count }, (_, i) => ({
        body: sample('arrive' as FunctionName, { now: BASE + (first + i) * 1000 }),
      })),
    ),
  );

export async function batch(bench: Bench): Promise<BatchRow> {
  const runs = bench.quick ? 2 : 5;
  const job = { mode: 'batch', bundle: '', warmupEvent: await batchOf(0, 10), template: await batchOf(10, RECORDS) };
  const results: Batch[] = [];
  for (const gatewayDelayMs of DELAYS) {
    const runsOf: Record<string, { wallMs: number; peak: number }[]> = { parkflow: [], sdk: [] };
    for (let round = 0; round < runs; round++) {
      await interleaved(CONTENDERS, round, async (contender) => {
        bench.sandbox.reset();
        if (gatewayDelayMs > 0) bench.sandbox.addFault({ kind: 'slow', delayMs: gatewayDelayMs });
        const run = await runChild<{ wallMs: number; failed: number }>([HOST], instanceEnv(bench, contender), {
          input: JSON.stringify({ ...job, bundle: bench.bundles[contender].arrive?.file }),
        });
        if (run.figures.failed !== 0)
          throw new Error(`${contender}: ${run.figures.failed} records of the batch failed`);
        // The warm-up batch before it has 10 records: the peak is the big batch's.
        runsOf[contender]?.push({ wallMs: run.figures.wallMs, peak: bench.sandbox.peakInFlight() });
      });
    }
    for (const contender of CONTENDERS) {
      const list = runsOf[contender] ?? [];
      results.push({
        contender,
        gatewayDelayMs,
        wallMs: median(list.map((r) => r.wallMs)),
        peakInFlight: median(list.map((r) => r.peak)),
      });
    }
  }
  bench.sandbox.reset();
  return { records: RECORDS, results };
}
