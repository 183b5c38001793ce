import { invokeAsync } from '../cloud/fc-invoke.js';
import { invokeFc3Async } from '../cloud/fc3-invoke.js';
import { sendMnsMessage } from '../cloud/mns.js';
import { DEFAULT_BUDGET_MS, deadlineAfter, type Runtime } from './runtime.js';

/** The function's temporary credentials, from its role. */
export interface FcCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/**
 * What FC's context says about the function and its temporary credentials (docs/platforms.md §4).
 * FC 2.0 names the function's service in `service.name`; FC 3.0 has no services. Both give the
 * invoked version or alias in `service.qualifier`.
 */
export interface FcContext {
  requestId?: string;
  accountId: string;
  region: string;
  credentials: FcCredentials;
  /** `timeout` is the function's timeout in seconds, counted from the invocation's start. */
  function: { name: string; timeout?: number };
  service?: { name?: string; qualifier?: string };
}

/** The context's account, region, credentials and function, needed to call FC or MNS as the function. */
function complete(context: Partial<FcContext>): FcContext {
  if (!context.accountId || !context.region || !context.credentials?.accessKeyId || !context.function?.name) {
    throw new Error('The FC context lacks accountId, region, credentials or function.name.');
  }
  return context as FcContext;
}

/**
 * Queue mode: an async invocation of the function itself, through the API of its generation:
 * 2016-08-15 (`@alicloud/fc2`) in an FC 2.0 service, 2023-03-30 InvokeFunction on FC 3.0.
 */
function invokeSelf(c: FcContext, body: string, waitMs: number, endpoint: string | undefined) {
  const qualifier = c.service?.qualifier;
  const service = c.service?.name;
  if (service) return invokeAsync({ ...c, service, qualifier }, body, waitMs, endpoint);
  return invokeFc3Async({ ...c, functionName: c.function.name, qualifier }, body, waitMs, endpoint);
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
      invokeSelf(complete(context), body, waitMs, settings.deliveryFcEndpoint),
    deadLetters(settings) {
      const queueUrl = settings.deadLetterMnsUrl;
      if (!queueUrl) return undefined;
      return async (letter, _record, waitMs) => {
        await sendMnsMessage(queueUrl, JSON.stringify(letter), complete(context).credentials, waitMs);
      };
    },
  };
}
