// One function instance in a process of its own, as a FaaS runtime runs it: loads a built bundle,
// runs the job it reads on stdin, and writes every answer as JSON to fd 3.
//   {bundle, mode: 'batch', event, remainingMs, warmup?, warmupMs?, startAt?}: one queue invocation,
//   after a warm-up invocation (`warmup`, given `warmupMs` or `remainingMs`, so the first calls do
//   not wait on loading the HTTP client or on a connection) and at `startAt` (epoch ms), so that
//   every instance starts at once;
//   {bundle, mode: 'http', events, workers, untilMs, pauseMs}: each event posted until answered 200 or
//   until `untilMs` (epoch), by `workers` senders at once, each pausing `pauseMs` after a 503.
import { readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';

const job = JSON.parse(readFileSync(0, 'utf8'));
const { handler } = createRequire(import.meta.url)(job.bundle);
const context = (remainingMs) => {
  const end = Date.now() + remainingMs;
  return { awsRequestId: `req-${process.pid}`, getRemainingTimeInMillis: () => end - Date.now() };
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function http() {
  const finals = new Array(job.events.length);
  /** Every 503's error code and Retry-After, in the order answered. */
  const refusals = [];
  let next = 0;
  const worker = async () => {
    while (next < job.events.length) {
      const i = next++;
      for (;;) {
        const answer = await handler(job.events[i], context(job.remainingMs));
        const body = JSON.parse(answer.body);
        if (answer.statusCode === 503) {
          refusals.push({ code: body.error?.code, retryAfter: Number(answer.headers['retry-after']), at: Date.now() });
        }
        if (answer.statusCode !== 503 || Date.now() >= job.untilMs) {
          finals[i] = { status: answer.statusCode, code: body.error?.code };
          break;
        }
        await sleep(job.pauseMs);
      }
    }
  };
  await Promise.all(Array.from({ length: job.workers }, worker));
  return { finals, refusals };
}

async function batch() {
  if (job.warmup) await handler(job.warmup, context(job.warmupMs ?? job.remainingMs));
  await sleep((job.startAt ?? 0) - Date.now());
  return handler(job.event, context(job.remainingMs));
}

const result = job.mode === 'batch' ? await batch() : await http();
writeSync(3, JSON.stringify(result));
process.exit(0);
