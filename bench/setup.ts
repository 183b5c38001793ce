// What every benchmark row shares: the sandbox gateway, the bundles, the events and each instance's settings.

import { SANDBOX_APP_KEY, SANDBOX_APP_SECRET, type Sandbox } from '../dev/sandbox/index.js';
import { sample } from '../dev/stack/samples.js';
import type { FunctionName } from '../shared/registry.js';
import { apigwHttp } from '../test/support/events.js';
import type { Bundles, ContenderName } from './contenders.js';

export interface Bench {
  sandbox: Sandbox;
  bundles: Bundles;
  /** The gateway's success answer per function, for the network-less runs. */
  answers: Record<string, string>;
  /** Fewer and shorter runs, to try the benchmarks out. */
  quick: boolean;
}

/** Stands for an event's time in a template; each event replaces it with its own, so none is a duplicate. */
export const MARK = '9999999999999';
/** Event i happens at BASE + i seconds: a week ago, so every time is in the past. */
export const BASE = Date.now() - 7 * 86_400_000;

/** An HTTP API (v2) event for the function, with MARK for its time. */
export const httpTemplate = (name: string): string =>
  JSON.stringify(apigwHttp(sample(name as FunctionName, { now: Number(MARK) })));

/** A job for bench/host.mjs: `name`'s HTTP events through one contender's bundle (its network-less twin if `offline`). */
export const httpJob = (
  bench: Bench,
  contender: ContenderName,
  name: string,
  fields: Record<string, unknown> & { mode: string; offline?: boolean },
) => {
  const bundle = bench.bundles[contender][name];
  return {
    ...fields,
    bundle: fields.offline ? bundle?.offline : bundle?.file,
    template: httpTemplate(name),
    mark: MARK,
    base: BASE,
  };
};

/**
 * An instance's environment. Every contender signs with md5, the one method node-taobao-topclient
 * has; (b) runs in China's time zone, as its timestamps are local time (docs/top-protocol.md §3, §11).
 */
export function instanceEnv(bench: Bench, contender: ContenderName, name?: string): Record<string, string> {
  return {
    TZ: contender === 'sdk' ? 'Asia/Shanghai' : 'UTC',
    TOP_APP_KEY: SANDBOX_APP_KEY,
    TOP_APP_SECRET: SANDBOX_APP_SECRET,
    TOP_GATEWAY_URL: bench.sandbox.url,
    TOP_SIGN_METHOD: 'md5',
    ...(name ? { BENCH_TOP_ANSWER: bench.answers[name] ?? '' } : {}),
  };
}

/** Runs `fn` for every contender in turn, starting with a different one each round, so drift hits all alike. */
export async function interleaved<C extends string>(contenders: C[], round: number, fn: (c: C) => Promise<void>) {
  for (let i = 0; i < contenders.length; i++) await fn(contenders[(round + i) % contenders.length] as C);
}
