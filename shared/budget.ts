/** Below this much time left, a TOP attempt could not finish: none is started. */
export const MIN_ATTEMPT_MS = 200;

/** What a queue or dead-letter send (SQS, MNS, an FC async invocation) may wait at most. */
export const QUEUE_SEND_MS = 5_000;

/**
 * One invocation's time. Every wait inside it (a TOP connect or answer, a store command, a queue
 * send, the TOP secret's read) is the smaller of its own setting and the time left before `end`, so
 * the answer is never late whatever the batch size or a dependency's speed (docs/decisions.md §3).
 */
export class Budget {
  /**
   * `end`: epoch ms by which every wait is over, the invocation's deadline as its runtime gives it
   * (the platform's limit less the reserve kept to answer and log).
   */
  constructor(readonly end: number) {}

  /** Milliseconds left before `end`, never below 0. */
  left(now: number = Date.now()): number {
    return Math.max(this.end - now, 0);
  }

  /** A wait whose own setting is `settingMs`, cut to the time left. */
  wait(settingMs: number): number {
    return Math.min(settingMs, this.left());
  }

  /**
   * What `work` gives, or what `late` gives once the time is up: for a wait shared with others
   * (one secret read for every record), which goes on for them.
   */
  within<T>(work: Promise<T>, late: () => T): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<T>((resolve, reject) => {
      timer = setTimeout(() => {
        try {
          resolve(late());
        } catch (err) {
          reject(err);
        }
      }, this.left());
    });
    return Promise.race([work, cut]).finally(() => clearTimeout(timer));
  }
}
