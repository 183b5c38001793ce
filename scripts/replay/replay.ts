import { Budget } from '../../shared/budget.js';
import type { Config } from '../../shared/config.js';
import type { IdempotencyStore } from '../../shared/idempotency/store.js';
import type { CallGate } from '../../shared/limit/limiter.js';
import { type RecordOutcome, settled } from '../../shared/outcome.js';
import { processRecords } from '../../shared/pipeline.js';
import { isFunctionName } from '../../shared/registry.js';
import { loadApis } from '../apis.js';
import type { ReplayItem } from './sources.js';

/** Each replayed event gets this long, retries included. */
const BUDGET_MS = 60_000;

export interface Replayed {
  item: ReplayItem;
  result: RecordOutcome;
}

/**
 * Sends dead-lettered events again through the functions' own pipeline (validate → dedupe → send),
 * a chunk at a time so progress can be shown; an event delivered before is answered from the
 * idempotency store, not sent twice. Nothing is dead-lettered again: what fails stays where it was.
 */
export async function replay(
  items: ReplayItem[],
  settings: Config,
  store: IdempotencyStore,
  limiter: CallGate,
  onProgress: (done: number) => void,
): Promise<Replayed[]> {
  for (const item of items) {
    if (!isFunctionName(item.function)) throw new Error(`${item.id} names no parkflow function: ${item.function}`);
  }
  const apis = await loadApis();
  const out: Replayed[] = [];
  const chunk = settings.concurrency * 4;
  for (let start = 0; start < items.length; start += chunk) {
    const part = items.slice(start, start + chunk);
    const results = await Promise.all(
      apis.map(async (api) => {
        const mine = part.filter((item) => item.function === api.name);
        const records = mine.map((item) => ({ id: item.id, body: item.body, headers: {} }));
        const deadline = Date.now() + BUDGET_MS;
        const pipeline = {
          api,
          settings,
          store,
          limiter,
          invocation: { platform: 'local' as const, requestId: undefined, deadline },
          budget: new Budget(deadline),
        };
        const done = await processRecords(pipeline, 'replay', records, undefined);
        return mine.map((item, i) => ({ item, result: done[i] as RecordOutcome }));
      }),
    );
    for (const replayed of results.flat()) {
      if (settled(replayed.result)) await replayed.item.remove?.();
      out.push(replayed);
    }
    onProgress(out.length);
  }
  return out;
}
