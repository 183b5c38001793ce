import type { LimitView } from './limit.js';

/** The app the sandbox knows when `apps` is not given. Never use these outside local tests and dev. */
export const SANDBOX_APP_KEY = '12345678';
export const SANDBOX_APP_SECRET = 'parkflow-sandbox-secret';

export interface SandboxOptions {
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** app_key → secret. Default `{ [SANDBOX_APP_KEY]: SANDBOX_APP_SECRET }`. */
  apps?: Record<string, string>;
  /** The clock (epoch ms) used for the timestamp check and `receivedAt`. Default `Date.now`. */
  now?: () => number;
  /** A per-app call limit with a ban, as TOP has; default none. */
  limit?: SandboxLimit;
}

/** More than `perSecond` calls from one app key in any second bans it for `banSeconds` (code 7 meanwhile). */
export interface SandboxLimit {
  perSecond: number;
  banSeconds: number;
}

export interface SandboxCall {
  /** `c1`, `c2`, … in the order the calls were received. */
  id: string;
  receivedAt: number;
  method?: string;
  appKey?: string;
  signMethod?: string;
  /** The signature's verdict, whichever check answered (a call that failed earlier still has one). */
  signature: 'valid' | 'invalid' | 'missing';
  /** Every system and application param received (query and body), decoded, empty ones included. */
  params: Record<string, string>;
  contentType?: string;
  /** HTTP status answered; 0 for a `hang` fault, which never answers. */
  status: number;
  /** The JSON answered (parsed), the raw text of a non-JSON fault, or null when nothing was answered. */
  response: unknown;
  /** The kind of the fault that fired, if one did. */
  fault?: string;
  /** The id of the fault rule that fired, if one did. */
  faultId?: string;
  durationMs: number;
}

export type FaultKind = FaultRule['kind'];

export type FaultRule = {
  /** Only calls to this TOP method; default any. */
  method?: string;
  /** Only the next N matching calls; default until cleared. */
  count?: number;
} & (
  | { kind: 'isp'; subCode?: string }
  | { kind: 'isv'; subCode?: string }
  | { kind: 'ban'; seconds: number }
  | { kind: 'http'; status: number }
  | { kind: 'non-json' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'hang' }
  | { kind: 'business-failure' }
);

export type StoredFault = FaultRule & { id: string };
export type FaultView = FaultRule & { id: string; remaining?: number };

export interface Sandbox {
  /** e.g. http://127.0.0.1:PORT/router/rest */
  url: string;
  /** e.g. http://127.0.0.1:PORT */
  origin: string;
  /** Every call received on router/rest, oldest first. */
  calls: SandboxCall[];
  /** A live feed of calls as they are answered; returns the unsubscribe function. */
  onCall(listener: (call: SandboxCall) => void): () => void;
  /** Adds a rule (validated; throws a TypeError naming the problem). */
  addFault(rule: FaultRule): StoredFault;
  clearFaults(): void;
  faults(): FaultView[];
  /** Sets the per-app call limit (validated; throws a TypeError naming the problem), or removes it and any ban. */
  setLimit(limit: SandboxLimit | undefined): void;
  /** The limit, the bans in force and how many calls it refused. */
  limitState(): LimitView;
  /** The most router/rest calls it was handling at once since it started or was last reset. */
  peakInFlight(): number;
  /** Clears calls, faults, the peak and any ban (the limit stays). */
  reset(): void;
  /** Closes the server and destroys every connection, hanging ones included. */
  close(): Promise<void>;
}
