import { errorEnvelope } from './envelopes.js';
import type { SandboxLimit } from './types.js';

/** TOP's answer while an app is banned: code 7, with the seconds left in `sub_msg` (docs/top-protocol.md §8). */
export const banEnvelope = (seconds: number) =>
  errorEnvelope({
    code: 7,
    msg: 'App Call Limited',
    sub_code: 'accesscontrol.limited-by-app-access-count',
    sub_msg: `This ban will last for ${seconds} more seconds`,
  });

export interface LimitView {
  limit: SandboxLimit | null;
  /** The app keys banned now, with when each ban ends (epoch ms) and the seconds left. */
  bans: { appKey: string; until: number; secondsLeft: number }[];
  /** Code 7 answers given by the limit since it was set. */
  refused: number;
}

/**
 * A per-app call limit, as TOP enforces one: more than `perSecond` calls from one app key in any
 * second bans the app for `banSeconds`, and every call during the ban is answered code 7.
 */
export class AppLimit {
  #limit: SandboxLimit | undefined;
  /** Per app key, when its accepted calls of the last second came (epoch ms, oldest first). */
  #recent = new Map<string, number[]>();
  #bans = new Map<string, number>();
  #refused = 0;

  constructor(limit?: SandboxLimit) {
    this.set(limit);
  }

  set(limit: SandboxLimit | undefined): void {
    if (limit !== undefined) {
      const problems = limitProblems(limit);
      if (problems.length > 0) throw new TypeError(`invalid limit: ${problems.join('; ')}`);
    }
    this.#limit = limit && { perSecond: limit.perSecond, banSeconds: limit.banSeconds };
    this.#recent.clear();
    this.#bans.clear();
    this.#refused = 0;
  }

  view(now: number): LimitView {
    const bans = [...this.#bans]
      .filter(([, until]) => until > now)
      .map(([appKey, until]) => ({ appKey, until, secondsLeft: Math.ceil((until - now) / 1000) }));
    return { limit: this.#limit ?? null, bans, refused: this.#refused };
  }

  /** Counts a call; the code 7 answer when it is refused, undefined when it may go on. */
  admit(appKey: string, now: number): ReturnType<typeof banEnvelope> | undefined {
    const limit = this.#limit;
    if (!limit) return undefined;
    let until = this.#bans.get(appKey);
    if (until === undefined || until <= now) {
      this.#bans.delete(appKey);
      const recent = this.#recent.get(appKey) ?? [];
      while (recent.length > 0 && (recent[0] ?? 0) <= now - 1000) recent.shift();
      if (recent.length < limit.perSecond) {
        recent.push(now);
        this.#recent.set(appKey, recent);
        return undefined;
      }
      until = now + limit.banSeconds * 1000;
      this.#bans.set(appKey, until);
      this.#recent.delete(appKey);
    }
    this.#refused++;
    return banEnvelope(Math.ceil((until - now) / 1000));
  }
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** What is wrong with a limit from outside (admin API, untyped callers); empty when nothing. */
export function limitProblems(input: unknown): string[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return ['a limit must be a JSON object such as {"perSecond":20,"banSeconds":5}'];
  const { perSecond, banSeconds, ...rest } = input as Record<string, unknown>;
  const problems = Object.keys(rest).map((key) => `unknown field "${key}"; allowed: perSecond, banSeconds`);
  if (!isInt(perSecond) || perSecond < 1) problems.push('perSecond must be a positive integer');
  if (!isInt(banSeconds) || banSeconds < 1) problems.push('banSeconds must be a positive integer');
  return problems;
}
