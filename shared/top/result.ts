import type { Sent } from '../outcome.js';

/** What TOP said about a call, when it said anything. */
export interface TopAnswer {
  code?: number | undefined;
  msg?: string | undefined;
  sub_code?: string | undefined;
  sub_msg?: string | undefined;
  request_id?: string | undefined;
}

/** Why a call did not succeed, with the evidence. */
export interface TopFailure extends TopAnswer {
  /** Short machine-readable reason: `top_error`, `business_failure`, `http_error`, `bad_response`, `network`, `timeout`, `rate_limited`. */
  reason: string;
  /** One sentence for a person. */
  message: string;
  /** HTTP status of the gateway's answer, when there was one. */
  status?: number | undefined;
  /** The start of a body that could not be understood. */
  body?: string | undefined;
}

/** TOP's code 25, "Invalid Signature": the app secret we signed with is not the one TOP holds. */
export const signatureRefused = (result: Sent): boolean => result.kind === 'rejected' && result.failure.code === 25;
