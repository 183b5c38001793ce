import type { Platform } from './runtime/runtime.js';

const NAMESPACE = 'parkflow';

// The dimensions are the line's own `function` and `outcome` fields.
const DIMENSIONS = [['function', 'outcome'], ['function']];
const EVENTS = { Name: 'events', Unit: 'Count' };
const TOP_LATENCY = { Name: 'top_latency_ms', Unit: 'Milliseconds' };
/** The same for every line but its timestamp: built once. */
const DIRECTIVES = {
  events: [{ Namespace: NAMESPACE, Dimensions: DIMENSIONS, Metrics: [EVENTS] }],
  withLatency: [{ Namespace: NAMESPACE, Dimensions: DIMENSIONS, Metrics: [EVENTS, TOP_LATENCY] }],
};

/**
 * Adds the metric fields to an event's log line: a count (sum it per outcome) and the time TOP took,
 * retries included, when TOP was called. On AWS the line also carries CloudWatch Embedded Metric
 * Format, so CloudWatch makes metrics of it with no agent or SDK; on FC, SLS indexes the fields.
 */
export function addMetrics(line: Record<string, unknown>, platform: Platform, topLatencyMs: number | undefined): void {
  line.events = 1;
  if (topLatencyMs !== undefined) line.top_latency_ms = topLatencyMs;
  if (platform !== 'aws') return;
  line._aws = {
    Timestamp: Date.now(),
    CloudWatchMetrics: topLatencyMs === undefined ? DIRECTIVES.events : DIRECTIVES.withLatency,
  };
}
