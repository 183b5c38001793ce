// Row 1: cold start per function. A fresh node loads the bundle and answers its first event
// against the sandbox; a bare node start (the same probe, nothing to load) is subtracted.
import { statSync } from 'node:fs';
import { FUNCTIONS } from '../scripts/build.mjs';
import { type ChildRun, PROBE, runChild } from './child.js';
import type { ContenderName } from './contenders.js';
import { type Bench, httpTemplate, instanceEnv, interleaved, MARK } from './setup.js';
import { median, medianRatio } from './stats.js';

interface ProbeFigures {
  requireMs: number;
  firstEventMs: number;
  status: number;
}

export interface ColdStart {
  function: string;
  contender: ContenderName;
  sizeKb: number;
  /** Median over runs, less the median bare node start. */
  coldMs: number;
  requireMs: number;
  firstEventMs: number;
}

export interface ColdStartRow {
  bareNodeMs: number;
  results: ColdStart[];
  /** parkflow's cold start over the contender's, per function: median of same-round ratios. */
  ratios: { function: string; vsNaive: number; vsSdk: number }[];
}

const CONTENDERS: ContenderName[] = ['parkflow', 'naive', 'sdk'];

export async function coldStart(bench: Bench): Promise<ColdStartRow> {
  const runs = bench.quick ? 5 : 15;
  const bare: number[] = [];
  const walls = new Map<string, ChildRun<ProbeFigures>[]>();
  for (let round = 0; round < runs; round++) {
    bare.push((await runChild([PROBE], {})).answeredMs);
    for (const name of FUNCTIONS) {
      const event = httpTemplate(name).replaceAll(MARK, String(Date.now() - 60_000 - round * 1000));
      await interleaved(CONTENDERS, round, async (contender) => {
        const file = bench.bundles[contender][name]?.file as string;
        const run = await runChild<ProbeFigures>([PROBE, file, event], instanceEnv(bench, contender));
        if (run.figures.status !== 200)
          throw new Error(`${contender} ${name}: the first event got ${run.figures.status}`);
        const key = `${contender}/${name}`;
        walls.set(key, [...(walls.get(key) ?? []), run]);
      });
    }
  }
  const bareNodeMs = median(bare);
  const net = (contender: ContenderName, name: string) =>
    (walls.get(`${contender}/${name}`) ?? []).map((r) => r.answeredMs - bareNodeMs);
  const results: ColdStart[] = [];
  for (const name of FUNCTIONS) {
    for (const contender of CONTENDERS) {
      const list = walls.get(`${contender}/${name}`) ?? [];
      results.push({
        function: name,
        contender,
        sizeKb: statSync(bench.bundles[contender][name]?.file as string).size / 1024,
        coldMs: median(net(contender, name)),
        requireMs: median(list.map((r) => r.figures.requireMs)),
        firstEventMs: median(list.map((r) => r.figures.firstEventMs)),
      });
    }
  }
  const ratios = FUNCTIONS.map((name) => ({
    function: name,
    vsNaive: medianRatio(net('parkflow', name), net('naive', name)),
    vsSdk: medianRatio(net('parkflow', name), net('sdk', name)),
  }));
  return { bareNodeMs, results, ratios };
}
