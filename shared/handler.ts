import type { ParkApi } from './apis/api.js';
import { Budget } from './budget.js';
import { rereadTopSecret, withTopSecret } from './cloud/top-secret.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { openStore } from './idempotency/open-store.js';
import type { IdempotencyStore } from './idempotency/store.js';
import type { Limiter } from './limit/limiter.js';
import { openLimiter } from './limit/open.js';
import { logError, logWarning } from './log.js';
import { processRecords } from './pipeline.js';
import { handOff } from './queue-mode/hand-off.js';
import { fc2HttpCall, serveFc2Http } from './runtime/fc2-http.js';
import { prepareInstance } from './runtime/instance.js';
import { runtimeOf } from './runtime/pick.js';
import type { Runtime } from './runtime/runtime.js';
import type { Envelope } from './triggers/envelope.js';
import { openEvent } from './triggers/open.js';
import { authenticate } from './webhook/auth.js';

interface Instance {
  settings: Config;
  /** Kept for the life of the instance, so a warm instance remembers what it delivered. */
  store: IdempotencyStore;
  limiter: Limiter;
}

let instance: Instance | undefined;

const secretLate = (): never => {
  throw new ConfigError(
    "parkflow is not configured yet: the TOP secret was not read within the invocation's time; the read goes on for the events after this one.",
  );
};

/**
 * Settings are read once per instance (with the TOP secret, on AWS); a bad setting is reported on
 * every event until fixed. A function that takes unsigned webhooks says so once, on its first event.
 */
async function configured(fn: string): Promise<Instance> {
  if (!instance) {
    const settings = loadConfig(await withTopSecret(process.env));
    if (settings.webhook.mode === 'unsigned')
      logWarning('webhook_auth', { function: fn, warning: settings.webhook.warning });
    // Events that met a cold instance together all waited for the secret: only the first opens the store.
    if (!instance) {
      const store = openStore(settings);
      instance = { settings, store, limiter: openLimiter(settings, store) };
    }
  }
  return instance;
}

/** The settings with a rotated TOP secret, kept for the instance's later events. */
async function resign(current: Instance): Promise<Config | undefined> {
  const env = await rereadTopSecret(process.env);
  if (env) current.settings = loadConfig(env);
  return env && current.settings;
}

/**
 * The one entry of every function: trigger → records → (HTTP) webhook signature → validate → dedupe
 * → send → answer. FC 2.0 calls a function behind an HTTP trigger as (request, response, context):
 * its adapter reads the body and answers through `response`.
 */
export function createHandler(api: ParkApi) {
  // A bundle makes its one handler as it loads: what the instance needs before its first event starts now.
  prepareInstance();
  async function run(runtime: Runtime, opened: Envelope): Promise<unknown> {
    const budget = new Budget(runtime.deadline);
    try {
      // Only a first event waits here (for the TOP secret, on AWS), and no longer than its time.
      const current = instance ?? (await budget.within(configured(api.name), secretLate));
      const { settings, store, limiter } = current;
      // Queue triggers are guarded by the queue's own access control, not by webhook signatures.
      const records =
        opened.kind === 'http' ? opened.records.map((r) => authenticate(r, settings.webhook)) : opened.records;
      const results =
        opened.kind === 'http' && settings.deliveryMode === 'queue'
          ? await handOff({ api, settings, runtime, budget }, opened.trigger, records)
          : await processRecords(
              { api, settings, store, limiter, invocation: runtime, budget, resign: () => resign(current) },
              opened.trigger,
              records,
              opened.kind === 'queue' ? runtime.deadLetters(settings) : undefined,
            );
      return opened.respond(results);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      logError('config', { function: api.name, platform_request_id: runtime.requestId, error: err.message });
      return opened.fail(err);
    }
  }
  return async function handler(event: unknown, context: unknown, fc2Context?: unknown): Promise<unknown> {
    const fc2 = fc2HttpCall(event, context, fc2Context);
    if (fc2) return serveFc2Http(fc2, api.name, run);
    // The one place that asks which platform this is; below here, the runtime answers.
    const runtime = runtimeOf(context);
    return run(runtime, openEvent(event, runtime.requestId));
  };
}
