import type { Platform } from './runtime/runtime.js';

const NAMESPACE = 'parkflow';

// The dimensions are the line's own `function`, `outcome` and, on a failure, `reason` fields.
const DIMENSIONS = [['function', 'outcome'], ['function']];
const WITH_REASON = [...DIMENSIONS, ['function', 'reason']];
const EVENTS = { Name: 'events', Unit: 'Count' };
const TOP_LATENCY = { Name: 'top_latency_ms', Unit: 'Milliseconds' };
/** The same for every line but its timestamp: built once, by [failed][TOP called]. */
const directives = (dimensions: string[][]) =>
  [[EVENTS], [EVENTS, TOP_LATENCY]].map((metrics) => [
    { Namespace: NAMESPACE, Dimensions: dimensions, Metrics: metrics },
  ]);
const DIRECTIVES = [directives(DIMENSIONS), directives(WITH_REASON)];

/**
 * Adds the metric fields to an event's log line: a count (sum it per outcome, and a failure's per
 * reason: `rate_limited`, `banned`, `timeout`, …) and the time TOP took, retries included, when TOP
 * was called. On AWS the line also carries CloudWatch Embedded Metric
 * Format, so CloudWatch makes metrics of it with no agent or SDK; on FC, SLS indexes the fields.
 */
export function addMetrics(line: Record<string, unknown>, platform: Platform, topLatencyMs: number | undefined): void {
  line.events = 1;
  if (topLatencyMs !== undefined) line.top_latency_ms = topLatencyMs;
  if (platform !== 'aws') return;
  line._aws = {
    Timestamp: Date.now(),
    CloudWatchMetrics: DIRECTIVES[line.reason === undefined ? 0 : 1]?.[topLatencyMs === undefined ? 0 : 1],
  };
}
