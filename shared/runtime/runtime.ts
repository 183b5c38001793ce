import type { Config } from '../config.js';
import type { DeadLetter } from '../dead-letter/message.js';
import type { EventRecord } from '../triggers/envelope.js';

/** Which cloud runs an invocation, told by its context (the shape each runtime hands over, docs/platforms.md §1, §4). */
export type Platform = 'aws' | 'fc' | 'local';

/** What the pipeline and the log need to know of an invocation. */
export interface Invocation {
  platform: Platform;
  /** The platform's id for the invocation (Lambda: awsRequestId; FC: requestId), to find it in the platform's logs. */
  requestId: string | undefined;
  /** Epoch ms by which delivery must be over: the platform's own limit, less a reserve to answer and log. */
  deadline: number;
}

/** Puts one dead letter in the configured destination, waiting `waitMs` at most; rejects when it could not. */
export type DeadLetterSink = (letter: DeadLetter, record: EventRecord, waitMs: number) => Promise<void>;

/**
 * One invocation on one platform, as the handler sees it: everything that differs between AWS, FC
 * and a local run is answered here, once, and nothing below the handler asks which platform it is.
 */
export interface Runtime extends Invocation {
  /**
   * DELIVERY_MODE=queue: hands a valid event to the function's own queue, waiting `waitMs` at most;
   * resolves with the message id.
   */
  enqueue(settings: Config, body: string, key: string, waitMs: number): Promise<string>;
  /**
   * The configured dead-letter destination, or undefined: then a permanent failure is reported as
   * failed, and the platform's own redrive (SQS redrive policy, the trigger's dead-letter queue, FC's
   * onFailure destination) moves it there once its retries are spent.
   */
  deadLetters(settings: Config): DeadLetterSink | undefined;
}

/** Without a platform deadline (local runs), an event gets this long. */
export const DEFAULT_BUDGET_MS = 30_000;
/** Time kept back to write the answer and logs before the platform's own timeout (docs/platforms.md §9). */
const MAX_RESERVE_MS = 1_000;

/** The deadline of an invocation that may run `budgetMs` from `now`, the reserve kept back. */
export const deadlineAfter = (budgetMs: number, now: number): number =>
  now + budgetMs - Math.min(MAX_RESERVE_MS, budgetMs / 10);
