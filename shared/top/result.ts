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

/** The three ways a delivery ends. */
export type DeliveryResult =
  | { kind: 'delivered'; request_id?: string | undefined; response: Record<string, unknown>; attempts: number }
  | { kind: 'rejected'; failure: TopFailure; attempts: number }
  | { kind: 'transient'; failure: TopFailure; attempts: number; retryAfterSeconds: number };

/** TOP's code 25, "Invalid Signature": the app secret we signed with is not the one TOP holds. */
export const signatureRefused = (result: DeliveryResult): boolean =>
  result.kind === 'rejected' && result.failure.code === 25;
