import { check, type ParkApi } from './apis.js';
import { parseBody } from './body.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { deadlineOf } from './deadline.js';
import { logError, logOutcome } from './log.js';
import { maskPlate } from './mask.js';
import { invalid, type Outcome } from './outcome.js';
import { callTop } from './top/client.js';
import type { EventRecord } from './triggers/envelope.js';
import { openEvent } from './triggers/open.js';

let config: Config | undefined;

/** Settings are read once per instance; a bad setting is reported on every event until fixed. */
function configured(): Config {
  config ??= loadConfig();
  return config;
}

/** Forgets the settings read, so a test can change the environment between invocations. */
export function resetConfig(): void {
  config = undefined;
}

interface Delivery {
  outcome: Outcome;
  /** Masked, for the log line. */
  car_no?: string | undefined;
}

async function deliver(api: ParkApi, settings: Config, record: EventRecord, deadline: number): Promise<Delivery> {
  const body = parseBody(record.body);
  if (!body.ok) return { outcome: body.outcome };
  const plate = body.value.car_no;
  const car_no = typeof plate === 'string' ? maskPlate(plate) : undefined;
  const checked = check(api, body.value);
  if (!checked.ok) {
    const n = checked.issues.length;
    const message = `The event has ${n} problem${n === 1 ? '' : 's'}; nothing was sent to TOP.`;
    return { outcome: invalid(message, checked.issues), car_no };
  }
  const params = checked.params;
  return {
    outcome: await callTop(settings, { method: api.method, resultField: api.resultField, params, deadline }),
    car_no,
  };
}

/** The one entry of every function: trigger → records → validate → send → answer. */
export function createHandler(api: ParkApi) {
  return async function handler(event: unknown, context: unknown): Promise<unknown> {
    const deadline = deadlineOf(context);
    const envelope = openEvent(event);
    let settings: Config;
    try {
      settings = configured();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      logError('config', { function: api.name, error: err.message });
      return envelope.fail(err);
    }
    const outcomes = await Promise.all(
      envelope.records.map(async (record) => {
        const started = Date.now();
        const { outcome, car_no } = await deliver(api, settings, record, deadline);
        const latency_ms = Date.now() - started;
        logOutcome(
          { function: api.name, trigger: envelope.trigger, record_id: record.id, latency_ms, car_no },
          outcome,
        );
        return outcome;
      }),
    );
    return envelope.respond(outcomes);
  };
}
