// Settings and gateway evidence shared by the queue, idempotency and replay tests.
import { SANDBOX_APP_KEY, SANDBOX_APP_SECRET, type Sandbox, type SandboxCall } from '../../dev/sandbox/index.js';

/** A function's environment against the sandbox; every queue-related setting unset unless given. */
export function queueEnv(sandbox: Sandbox, extra: Record<string, string> = {}): Record<string, string | undefined> {
  const sqsUrl = extra.DEAD_LETTER_SQS_URL ?? extra.DELIVERY_QUEUE_URL;
  return {
    TOP_APP_KEY: SANDBOX_APP_KEY,
    TOP_APP_SECRET: SANDBOX_APP_SECRET,
    TOP_GATEWAY_URL: sandbox.url,
    TOP_SIGN_METHOD: undefined,
    TOP_MAX_ATTEMPTS: undefined,
    TOP_CONCURRENCY: undefined,
    DELIVERY_MODE: undefined,
    DELIVERY_QUEUE_URL: undefined,
    DELIVERY_FC_ENDPOINT: undefined,
    IDEMPOTENCY_REDIS_URL: undefined,
    IDEMPOTENCY_TTL_SECONDS: undefined,
    DEAD_LETTER_SQS_URL: undefined,
    DEAD_LETTER_MNS_URL: undefined,
    // For the AWS SDK, which the stand-ins do not check. On AWS a queue URL's host is the region's SQS
    // endpoint; here it is the stand-in's, so the SDK is told so (else it warns on every call).
    AWS_REGION: 'ap-southeast-1',
    AWS_ENDPOINT_URL_SQS: sqsUrl ? new URL(sqsUrl).origin : undefined,
    // The tests run the SDK on Node 20; Lambda runs it on Node 22, so its Node 20 notice is not for us.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    ...extra,
  };
}

/** The plate a gateway call was about, whichever API it was. */
export function plateOf(call: SandboxCall): string | undefined {
  if (call.params.car_no) return call.params.car_no;
  const dto = call.params.pay_order_info_dto;
  return dto ? (JSON.parse(dto) as { car_no?: string }).car_no : undefined;
}

/** Calls the gateway accepted: TOP's success envelope (a `slow` fault only delays it), no business refusal. */
export const accepted = (sandbox: Sandbox): SandboxCall[] =>
  sandbox.calls.filter(
    (c) =>
      c.status === 200 &&
      typeof c.response === 'object' &&
      c.response !== null &&
      !('error_response' in c.response) &&
      c.fault !== 'business-failure',
  );

/** How many accepted calls each plate got: every value must be 1. */
export function acceptedPerPlate(sandbox: Sandbox): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of accepted(sandbox)) {
    const plate = plateOf(call) ?? '?';
    counts.set(plate, (counts.get(plate) ?? 0) + 1);
  }
  return counts;
}

/** The most calls the gateway received in any one second (a sliding window, as TOP's limit counts). */
export function busiestSecond(calls: SandboxCall[]): number {
  const times = calls.map((c) => c.receivedAt).sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while ((times[last] ?? 0) - (times[first] ?? 0) >= 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
