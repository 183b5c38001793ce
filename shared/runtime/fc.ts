import { invokeAsync } from '../cloud/fc-invoke.js';
import { sendMnsMessage } from '../cloud/mns.js';
import { DEFAULT_BUDGET_MS, deadlineAfter, type Runtime } from './runtime.js';

/** The function's temporary credentials, from its role. */
export interface FcCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** What FC 3.0's context says about the function and its temporary credentials (docs/platforms.md §4). */
export interface FcContext {
  requestId?: string;
  accountId: string;
  region: string;
  credentials: FcCredentials;
  /** `timeout` is the function's timeout in seconds, counted from the invocation's start. */
  function: { name: string; qualifier?: string; timeout?: number };
  service?: { name: string };
}

/** The context's account, region, credentials and function, needed to call FC or MNS as the function. */
function complete(context: Partial<FcContext>): FcContext {
  if (!context.accountId || !context.region || !context.credentials?.accessKeyId || !context.function?.name) {
    throw new Error('The FC context lacks accountId, region, credentials or function.name.');
  }
  return context as FcContext;
}

/**
 * Function Compute, told by its context, which alone has a `function` object; undefined for any
 * other context. Queue mode is an async invocation of the function itself, and dead letters go to
 * MNS; both are signed with the function's credentials from the context.
 */
export function fcRuntime(c: unknown, now: number): Runtime | undefined {
  const context = c as Partial<FcContext> | null | undefined;
  if (typeof context?.function !== 'object' || context.function === null) return undefined;
  return {
    platform: 'fc',
    requestId: context.requestId,
    deadline: deadlineAfter((context.function.timeout ?? DEFAULT_BUDGET_MS / 1000) * 1000, now),
    enqueue: async (settings, body, _key, waitMs) =>
      invokeAsync(complete(context), body, waitMs, settings.deliveryFcEndpoint),
    deadLetters(settings) {
      const queueUrl = settings.deadLetterMnsUrl;
      if (!queueUrl) return undefined;
      return async (letter, _record, waitMs) => {
        await sendMnsMessage(queueUrl, JSON.stringify(letter), complete(context).credentials, waitMs);
      };
    },
  };
}
