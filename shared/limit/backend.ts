/** The app's shared budget: `perSecond` calls a second, `burst` of them at once after a quiet spell. */
export interface Rate {
  perSecond: number;
  burst: number;
}

export interface TakeRequest {
  /** Unset: only the ban is checked, no turn is booked. */
  rate?: Rate | undefined;
  /** A turn further away than this is refused, not booked. */
  maxWaitMs: number;
  /** Names this caller's probe, should it become the probe. */
  token: string;
}

/**
 * What the store answers a call that wants to go: go after `waitMs` (its turn is booked), as the
 * single probe after a ban when `probe` is set; or not now, and for how long.
 */
export type Turn =
  | { go: true; waitMs: number; probe?: boolean }
  | { go: false; reason: 'rate_limited' | 'banned'; retryAfterMs: number };

/**
 * Where the app's shared rate and ban live: Redis, or the instance's memory. Each method is one
 * atomic step in the store (a DynamoDB backend would do each as a conditional write on one item),
 * and waits at most `waitMs` (the time left, up to a second) for the store; a fault or a timeout
 * rejects.
 */
export interface LimitBackend {
  /**
   * Refuses while a ban is in force, or while the probe after it is out; makes the caller the
   * probe when a ban has ended and no probe has been sent; otherwise books the next turn of the
   * rate, if it comes within `maxWaitMs`.
   */
  take(request: TakeRequest, waitMs: number): Promise<Turn>;
  // Without these two (this instance's memory), a ban is only the Limiter's own, for this instance.
  /** TOP banned the app for `seconds`: no call until then, then one probe. */
  ban?(seconds: number, waitMs: number): Promise<void>;
  /** The probe `token` ended without a ban: calls go freely again (a new ban has removed any older probe). */
  lift?(token: string, waitMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * GCRA: the time the next call is due (`tat`) moves on by 1/rate per call; a call may go once
 * `tat - tolerance` has come, the tolerance letting `burst` calls go at once. Any one second then
 * sees at most `perSecond + burst` calls. Returns how long to wait and the new `tat`.
 */
export function nextTurn(tat: number, now: number, rate: Rate): { waitMs: number; tat: number } {
  const interval = 1000 / rate.perSecond;
  const due = Math.max(tat, now);
  return { waitMs: Math.max(0, due - (rate.burst - 1) * interval - now), tat: due + interval };
}
