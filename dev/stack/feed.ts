import { isFunctionName, methodOf } from '../../shared/registry.js';
import type { SandboxCall } from '../sandbox/index.js';
import { type MaskedCall, maskCall } from './mask-call.js';

/** The function side of one event: the JSON line a function logs per event outcome (shared/log.ts). */
export interface FunctionLine {
  function: string;
  trigger: string;
  outcome: string;
  latency_ms: number;
  /** The time TOP took, retries included; absent when TOP was not called. */
  top_latency_ms?: number;
  /** The invocation: on a queue trigger, the batch the record came in. */
  platform_request_id?: string;
  record_id?: string;
  /** On a queue: put in the dead-letter destination. */
  dead_lettered?: boolean;
  /** Masked by the function. */
  car_no?: string;
  attempts?: number;
  request_id?: string;
  /** Delivered before: answered from the idempotency store, TOP not called again. */
  duplicate?: boolean;
  reason?: string;
  code?: number;
  sub_code?: string;
  http_status?: number;
  error?: string;
  issues?: string[];
}

/** One event as the console shows it: what the function made of it, and the TOP calls it made. */
export interface ConsoleEvent extends FunctionLine {
  id: string;
  /** When the function answered (epoch ms). */
  at: number;
  method: string | undefined;
  calls: MaskedCall[];
}

/** Reads a function's event line from its output; undefined for any other line. */
export function functionLine(text: string): FunctionLine | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const line = JSON.parse(text) as Record<string, unknown>;
    return line.msg === 'event' && typeof line.function === 'string' ? (line as unknown as FunctionLine) : undefined;
  } catch {
    return undefined;
  }
}

/** Output reaches the stack a little after the function measured its latency. */
const SLACK_MS = 250;
const KEEP_EVENTS = 500;
const KEEP_CALLS_MS = 120_000;

const plateOf = (call: MaskedCall): string | undefined => {
  if (call.params.car_no !== undefined) return call.params.car_no;
  try {
    return (JSON.parse(call.params.pay_order_info_dto ?? 'null') as { car_no?: string } | null)?.car_no;
  } catch {
    return undefined;
  }
};

/**
 * A call belongs to an event when it is the event's method (and backflow action), for the same
 * (masked) plate, received while the function was at work. Retries resend the same params, so every
 * attempt is claimed; two functions never share a method and action. An invalid event or a duplicate
 * sent nothing.
 */
function belongs(call: MaskedCall, event: ConsoleEvent): boolean {
  return (
    event.outcome !== 'invalid' &&
    !event.duplicate &&
    call.method === event.method &&
    (call.params.action ?? event.function) === event.function &&
    plateOf(call) === event.car_no &&
    call.receivedAt >= event.at - event.latency_ms - SLACK_MS &&
    call.receivedAt <= event.at + SLACK_MS
  );
}

/** Joins the functions' event lines with the sandbox's calls into console events, newest last. */
export class EventFeed {
  #events: ConsoleEvent[] = [];
  #unclaimed: MaskedCall[] = [];
  #listeners = new Set<(event: ConsoleEvent) => void>();
  #seq = 0;

  /** A function's event line: it claims the calls made for it so far. */
  addLine(line: FunctionLine, at: number = Date.now()): ConsoleEvent {
    const event: ConsoleEvent = {
      ...line,
      id: `e${++this.#seq}`,
      at,
      method: isFunctionName(line.function) ? methodOf(line.function) : undefined,
      calls: [],
    };
    event.calls = this.#unclaimed.filter((call) => belongs(call, event));
    this.#unclaimed = this.#unclaimed.filter((call) => !event.calls.includes(call));
    this.#events.push(event);
    if (this.#events.length > KEEP_EVENTS) this.#events.shift();
    this.#emit(event);
    return event;
  }

  /** A TOP call, usually answered before its function logs; one answered later joins its event then. */
  addCall(raw: SandboxCall): void {
    const call = maskCall(raw);
    const event = this.#events.findLast((e) => belongs(call, e));
    if (!event) {
      this.#unclaimed = this.#unclaimed.filter((c) => c.receivedAt > call.receivedAt - KEEP_CALLS_MS);
      this.#unclaimed.push(call);
      return;
    }
    event.calls.push(call);
    event.calls.sort((a, b) => a.receivedAt - b.receivedAt);
    this.#emit(event);
  }

  /** Oldest first. */
  events(): readonly ConsoleEvent[] {
    return this.#events;
  }

  /** Every event added or changed from now on; returns the unsubscribe function. */
  subscribe(listener: (event: ConsoleEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #emit(event: ConsoleEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
