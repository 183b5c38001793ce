// A warm function instance under test: loads one bundle and feeds it events the way the platform
// would, then writes its figures as JSON to fd 3. Run by the benchmarks, one process per run.
import { readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The job arrives on stdin: an SQS batch is too large for a command line. */
const job = JSON.parse(readFileSync(0, 'utf8'));
const { handler } = createRequire(import.meta.url)(job.bundle);
const context = () => ({ awsRequestId: 'bench', getRemainingTimeInMillis: () => 60_000 });

/** Event `i`: the template with its time mark replaced, so that no two events are duplicates. */
const event = (i) => JSON.parse(job.template.replaceAll(job.mark, String(job.base + i * 1000)));
const eventsFrom = (first, count) => Array.from({ length: count }, (_, i) => event(first + i));

let failures = 0;
let firstFailure;
function check(answer) {
  const ok = answer.statusCode === 200 || (answer.batchItemFailures && answer.batchItemFailures.length === 0);
  if (!ok) {
    failures++;
    firstFailure ??= answer;
  }
}

/** Runs events `first … first+count-1` with `inflight` at a time; latencies in ms by event. */
async function drive(first, count, inflight, { lazy = false, onEach } = {}) {
  const events = lazy ? undefined : eventsFrom(first, count);
  const latencies = new Float64Array(count);
  let next = 0;
  let done = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const e = events ? events[i] : event(first + i);
      const t = performance.now();
      check(await handler(e, context()));
      latencies[i] = performance.now() - t;
      onEach?.(++done);
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuUs: used.user + used.system, latencies: Array.from(latencies) };
}

const modes = {
  /** CPU per event, one at a time, after a warm-up. */
  async cpu() {
    await drive(0, job.warmup, 1);
    const run = await drive(job.warmup, job.count, 1);
    return { cpuUsPerEvent: run.cpuUs / job.count };
  },
  /** Events per second and latencies with `inflight` events at a time. */
  async load() {
    await drive(0, job.warmup, job.inflight);
    const run = await drive(job.warmup, job.count, job.inflight);
    return {
      perSecond: (job.count / run.wallMs) * 1000,
      latencies: run.latencies,
      cpuUsPerEvent: run.cpuUs / job.count,
    };
  },
  /** RSS (after a full GC) every `sampleEvery` events. */
  async memory() {
    const samples = [];
    const sample = (events) => {
      globalThis.gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      samples.push({ events, rss, heapUsed });
    };
    sample(0);
    await drive(0, job.count, job.inflight, {
      lazy: true,
      onEach: (done) => done % job.sampleEvery === 0 && sample(done),
    });
    return { samples };
  },
  /** One SQS batch after a small warm-up batch: wall time. */
  async batch() {
    check(await handler(JSON.parse(job.warmupEvent), context()));
    const batch = JSON.parse(job.template);
    const started = performance.now();
    const answer = await handler(batch, context());
    const wallMs = performance.now() - started;
    check(answer);
    return { wallMs, failed: answer.batchItemFailures?.length };
  },
  /**
   * Drains this instance's share of a queue (events first … first+count-1) in SQS batches of
   * `batchSize`, from `startAt` until done or `stopAt` (epoch ms): records listed for retry go to
   * the back of its backlog, as the queue brings them back; after a batch of which none was done,
   * the next comes `redeliveryMs` later (a short visibility timeout).
   */
  async drain() {
    const backlog = Array.from({ length: job.count }, (_, i) => job.first + i);
    const record = (i) => JSON.parse(job.template.replaceAll(job.mark, String(job.base + i * 1000)));
    let invocations = 0;
    let retried = 0;
    await new Promise((resolve) => setTimeout(resolve, job.startAt - Date.now()));
    while (backlog.length > 0 && Date.now() < job.stopAt) {
      const ids = backlog.splice(0, job.batchSize);
      const answer = await handler({ Records: ids.map(record) }, context());
      invocations++;
      const failed = new Set(answer.batchItemFailures.map((f) => f.itemIdentifier));
      retried += failed.size;
      for (const i of ids) if (failed.has(record(i).messageId)) backlog.push(i);
      if (failed.size === ids.length) await new Promise((resolve) => setTimeout(resolve, job.redeliveryMs));
    }
    return { endedAt: Date.now(), invocations, retried, left: backlog.length };
  },
};

const result = await modes[job.mode]();
writeSync(3, JSON.stringify({ ...result, failures, firstFailure }));
process.exit(0);
