// Runs a queue batch through a function under a fault and reads what its answer says against what the
// gateway received.
import type { Sandbox } from '../../dev/sandbox/index.js';
import { type Handler, invokeHttp } from './bundles.js';
import { apigwHttp, awsContext } from './events.js';
import { sqsEvent, validEvent } from './queue-events.js';
import { accepted, plateOf } from './queue-setup.js';

/** The reserve a function keeps to answer (shared/budget.ts): a tenth of its time, at most a second. */
export const reserveOf = (remainingMs: number) => Math.min(1_000, remainingMs / 10);

export interface BatchRun {
  /** From the invocation to its answer. */
  elapsedMs: number;
  /** The plates of the records the answer lists for retry. */
  failed: string[];
  /** The plates of the records it says are done. */
  done: string[];
}

const plate = (n: number) => validEvent('arrive', n).car_no as string;

/** One SQS batch of `arrive` events numbered `ns`, with `remainingMs` left on the invocation. */
export async function sqsBatch(handler: Handler, ns: number[], remainingMs: number): Promise<BatchRun> {
  const event = await sqsEvent(ns.map((n) => ({ body: validEvent('arrive', n), messageId: `m-${n}` })));
  const started = Date.now();
  const answer = (await handler(event, awsContext(remainingMs))) as { batchItemFailures: { itemIdentifier: string }[] };
  const elapsedMs = Date.now() - started;
  const listed = new Set(answer.batchItemFailures.map((f) => f.itemIdentifier));
  return {
    elapsedMs,
    failed: ns.filter((n) => listed.has(`m-${n}`)).map(plate),
    done: ns.filter((n) => !listed.has(`m-${n}`)).map(plate),
  };
}

/** One HTTP `arrive` event with `remainingMs` left; its answer time is noted as `name`. */
export async function timedHttp(name: string, handler: Handler, remainingMs: number) {
  const started = Date.now();
  const res = await invokeHttp(handler, apigwHttp(validEvent('arrive', 1)), awsContext(remainingMs));
  const run = { elapsedMs: Date.now() - started };
  noteTime(name, run, remainingMs);
  return { res, ...run };
}

/** Plates the function says are done that the gateway never accepted: must be none. */
export function doneUnseen(sandbox: Sandbox, run: BatchRun): string[] {
  const seen = new Set(accepted(sandbox).map(plateOf));
  return run.done.filter((p) => !seen.has(p));
}

const times: string[] = [];

/** Keeps a case's answer time; `FAULT_TIMES=1 npx vitest run test/deadline-*.test.ts` prints them at the end. */
export function noteTime(name: string, run: { elapsedMs: number }, remainingMs: number): void {
  times.push(`${name}: answered after ${run.elapsedMs} ms of ${remainingMs} ms (reserve ${reserveOf(remainingMs)} ms)`);
}

export function printTimes(): void {
  if (process.env.FAULT_TIMES) process.stdout.write(`${times.join('\n')}\n`);
}
