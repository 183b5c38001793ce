import { awsRuntime, isAwsContext } from './aws.js';
import { fcRuntime, isFcContext } from './fc.js';
import { localRuntime } from './local.js';
import type { Runtime } from './runtime.js';

/** The one place that tells the platforms apart: by the context each hands to the handler. */
export function runtimeOf(context: unknown, now: number = Date.now()): Runtime {
  if (isAwsContext(context)) return awsRuntime(context, now);
  if (isFcContext(context)) return fcRuntime(context, now);
  return localRuntime(context, now);
}
