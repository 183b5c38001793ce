import { awsRuntime } from './aws.js';
import { fcRuntime } from './fc.js';
import { localRuntime } from './local.js';
import type { Runtime } from './runtime.js';

/** The one place that tells the platforms apart: each adapter knows its own platform's context. */
export const runtimeOf = (context: unknown, now: number = Date.now()): Runtime =>
  awsRuntime(context, now) ?? fcRuntime(context, now) ?? localRuntime(context, now);
