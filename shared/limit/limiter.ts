import { randomUUID } from 'node:crypto';
import { logError } from '../log.js';
import type { AttemptOutcome } from '../top/response.js';
import type { TopFailure } from '../top/result.js';
import { sleep } from '../top/retry.js';
import type { LimitBackend, Rate, Turn } from './backend.js';

/** An attempt may go; `probe` names it when it is the single probe after a ban. */
export interface Pass {
  probe?: string | undefined;
}

/** The attempt is not sent: the call ends transient, with this failure and wait. */
export interface Refusal {
  failure: TopFailure;
  retryAfterSeconds: number;
}

/**
 * Decides whether and when an attempt to call TOP may go, and learns from what TOP answered.
 * Used by callTop around every attempt, retries included.
 */
export interface CallGate {
  enter(deadline: number): Promise<Pass | Refusal>;
  leave(pass: Pass, attempt: AttemptOutcome, deadline: number): Promise<void>;
}

/** Time kept back after the wait for the attempt itself to be sent and answered. */
const SEND_MS = 200;
/** The longest wait for the store: fast enough on the same network; slower counts as unreachable. */
const STORE_MS = 1_000;
/** Why an attempt is not sent, for a person. */
const WHY = {
  banned: 'TOP has banned the app (code 7).',
  rate_limited: 'No TOP_RATE_LIMIT turn in time.',
  limit_unavailable: 'The limit store is unreachable.',
};
/** The same as for an unreachable idempotency store. */
const STORE_UNREACHABLE = { go: false, reason: 'limit_unavailable', retryAfterMs: 5_000 } as const;

function refusal({ reason, retryAfterMs }: { reason: keyof typeof WHY; retryAfterMs: number }): Refusal {
  return {
    failure: { reason, message: WHY[reason] },
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  };
}

/**
 * The app's call limit (README "Queues"): the shared rate, when TOP_RATE_LIMIT is set, and TOP's
 * ban (code 7), shared by every instance through the store. A store that cannot be asked means
 * nothing is sent, as for idempotency.
 */
export class Limiter implements CallGate {
  /** When a ban this instance was told of ends (epoch ms): its own calls stop at once, before the store has it. */
  #bannedUntil = 0;

  constructor(
    readonly backend: LimitBackend,
    readonly rate: Rate | undefined,
  ) {}

  async enter(deadline: number): Promise<Pass | Refusal> {
    const token = randomUUID();
    const ask = (rate: Rate | undefined) => {
      const left = deadline - Date.now();
      const request = { rate, maxWaitMs: left - SEND_MS, token };
      return this.backend.take(request, Math.min(STORE_MS, left));
    };
    try {
      let turn = this.#ownBan() ?? (await ask(this.rate));
      while (turn.go && turn.waitMs > 0) {
        const due = Date.now() + turn.waitMs;
        await sleep(turn.waitMs);
        // A ban may have begun while this call waited for its turn.
        turn = this.#ownBan() ?? (await ask(undefined));
        // A whole turn late (a busy instance, a slow store), it would go together with the next
        // turn's call: it books another.
        if (turn.go && this.rate && Date.now() - due > 1000 / this.rate.perSecond)
          turn = this.#ownBan() ?? (await ask(this.rate));
      }
      // A code 7 may have reached this instance while the store answered.
      if (turn.go) turn = this.#ownBan() ?? turn;
      return turn.go ? { probe: turn.probe ? token : undefined } : refusal(turn);
    } catch (err) {
      logError('limit_store', { error: (err as Error).message });
      return refusal(STORE_UNREACHABLE);
    }
  }

  #ownBan(): Turn | undefined {
    const left = this.#bannedUntil - Date.now();
    return left > 0 ? { go: false, reason: 'banned', retryAfterMs: left } : undefined;
  }

  async leave(pass: Pass, attempt: AttemptOutcome, deadline: number): Promise<void> {
    const ban = !attempt.ok && attempt.failure.code === 7 ? (attempt.waitSeconds ?? 0) : undefined;
    const { probe } = pass;
    if (ban !== undefined) this.#bannedUntil = Math.max(this.#bannedUntil, Date.now() + ban * 1000);
    // An attempt that ended at the deadline still tells the others, within the reserve kept to answer.
    const waitMs = Math.min(STORE_MS, Math.max(deadline - Date.now(), SEND_MS));
    try {
      if (ban !== undefined) await this.backend.ban?.(ban, waitMs);
      // The probe's attempt ended without a ban: TOP takes calls again.
      else if (probe) await this.backend.lift?.(probe, waitMs);
    } catch (err) {
      // The others learn of the ban by hitting it, or probe again once this probe's claim expires.
      logError('limit_store', { ban, error: (err as Error).message });
    }
  }
}
