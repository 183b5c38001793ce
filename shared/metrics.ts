import type { Platform } from './invocation.js';

const NAMESPACE = 'parkflow';

/**
 * The metric fields of an event's log line: a count (sum it per outcome) and the time TOP took,
 * retries included, when TOP was called. On AWS the line also carries CloudWatch Embedded Metric
 * Format, so CloudWatch makes metrics of it with no agent or SDK; on FC, SLS indexes the fields.
 */
export function metricFields(platform: Platform, topLatencyMs: number | undefined): Record<string, unknown> {
  const fields: Record<string, unknown> = { events: 1 };
  if (topLatencyMs !== undefined) fields.top_latency_ms = topLatencyMs;
  if (platform !== 'aws') return fields;
  const metrics = [{ Name: 'events', Unit: 'Count' }];
  if (topLatencyMs !== undefined) metrics.push({ Name: 'top_latency_ms', Unit: 'Milliseconds' });
  // The dimensions are the line's own `function` and `outcome` fields.
  const dimensions = [['function', 'outcome'], ['function']];
  return {
    ...fields,
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{ Namespace: NAMESPACE, Dimensions: dimensions, Metrics: metrics }],
    },
  };
}
