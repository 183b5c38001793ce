import { type LimitBackend, nextTurn, type TakeRequest, type Turn } from './backend.js';

/**
 * This instance's own rate, with the memory store: the limit is per instance. A ban needs nothing
 * here: the Limiter keeps this instance's calls back until it ends (no probe: there are no others).
 */
export class MemoryLimit implements LimitBackend {
  #tat = 0;

  async take({ rate, maxWaitMs }: TakeRequest): Promise<Turn> {
    if (!rate) return { go: true, waitMs: 0 };
    const turn = nextTurn(this.#tat, Date.now(), rate);
    if (turn.waitMs > maxWaitMs) return { go: false, reason: 'rate_limited', retryAfterMs: turn.waitMs };
    this.#tat = turn.tat;
    return { go: true, waitMs: turn.waitMs };
  }

  async close(): Promise<void> {}
}
