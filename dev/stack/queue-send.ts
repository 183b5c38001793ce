// `npm run send -- <function> --queue`: the queue path of the running stack. Samples go in batches
// of ten (serverless.yml's batchSize) to serverless-offline's Lambda invoke API (docs/platforms.md
// §10), which runs the same bundles as the HTTP routes: an SQS event (standard or FIFO), or with
// --platform fc the array of CloudEvents that an FC EventBridge-backed trigger hands over in batch mode.
import { randomUUID } from 'node:crypto';
import type { FunctionName } from '../../shared/registry.js';
import { eventBridgeEvent, sqsEvent } from '../queue-events.js';
import { lambdaName } from './offline.js';
import { sample } from './samples.js';

export interface QueueSend {
  name: FunctionName;
  count: number;
  /** How many of them are invalid, spread evenly through the batches. */
  invalid: number;
  fifo: boolean;
  platform: 'aws' | 'fc';
  lambdaUrl: string;
}

const BATCH_SIZE = 10;

/** Exactly `invalid` of `count` indices, evenly spread. */
const isInvalid = (i: number, count: number, invalid: number) =>
  Math.floor(((i + 1) * invalid) / count) > Math.floor((i * invalid) / count);

/** The samples, each another car (and order), so that each is an event of its own rather than a duplicate. */
function bodies({ name, count, invalid }: QueueSend): Record<string, unknown>[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => {
    if (isInvalid(i, count, invalid)) return sample(name, { invalid: true });
    const body = sample(name, { now });
    return { ...body, car_no: `浙A${10000 + i}`, ...('order_id' in body ? { order_id: `${body.order_id}-${i}` } : {}) };
  });
}

async function triggerEvent(options: QueueSend, batch: Record<string, unknown>[]): Promise<unknown> {
  if (options.platform === 'fc') return JSON.parse(eventBridgeEvent('mns', batch, { batch: true }).toString());
  // Two FIFO groups, so that the order kept within each shows.
  const messages = batch.map((body, i) => ({ body, messageId: randomUUID(), group: `lane-${(i % 2) + 1}` }));
  return sqsEvent(messages, { fifo: options.fifo, queue: `parkflow-${options.name}` });
}

/** What one invocation answered: its failed records (all of them when the invocation itself failed), and its text. */
async function invoke(url: string, event: unknown, size: number): Promise<{ failed: number; shown: string }> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(event) });
  const text = await res.text();
  const payload = JSON.parse(text || 'null') as { batchItemFailures?: unknown[]; errorMessage?: string } | null;
  if (res.headers.has('x-amz-function-error') || !res.ok) {
    const why = payload?.errorMessage ?? `HTTP ${res.status}`;
    return { failed: size, shown: `the invocation failed, so the platform retries the whole batch: ${why}` };
  }
  return { failed: payload?.batchItemFailures?.length ?? 0, shown: text || '(no answer: every record done)' };
}

/** Sends the batches one after another, prints each answer, and returns the exit code: 1 when anything failed. */
export async function sendToQueue(options: QueueSend, print: (line: string) => void): Promise<number> {
  const url = `${options.lambdaUrl}/2015-03-31/functions/${lambdaName(options.name)}/invocations`;
  const all = bodies(options);
  const trigger = options.platform === 'fc' ? 'FC EventBridge (MNS) batch' : options.fifo ? 'SQS FIFO' : 'SQS';
  print(`POST ${url}\n${all.length} ${trigger} record(s), ${options.invalid} invalid, in batches of ${BATCH_SIZE}\n`);
  let failed = 0;
  for (let start = 0; start < all.length; start += BATCH_SIZE) {
    const batch = all.slice(start, start + BATCH_SIZE);
    const answer = await invoke(url, await triggerEvent(options, batch), batch.length);
    failed += answer.failed;
    print(`batch ${start / BATCH_SIZE + 1}: ${batch.length} record(s): ${answer.shown}`);
  }
  const retried =
    failed === 0 ? '' : ' (the queue delivers them again; once its retries are spent, they are dead letters)';
  print(`\n${all.length - failed} done, ${failed} failed${retried}. The console shows each record.`);
  return failed === 0 ? 0 : 1;
}
