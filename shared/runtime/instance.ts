import { withTopSecret } from '../cloud/top-secret.js';
import { loadDynamoDb } from '../idempotency/dynamodb.js';
import { prepareTransport } from '../top/transport.js';
import { initRunsAtFullCpu } from './aws.js';

/**
 * What an instance prepares while it loads, before its first event (docs/architecture.md §3): the
 * one place that decides it, called once per bundle as its handler is made. Idempotent: each step
 * is started once per instance however often this is called.
 */
export function prepareInstance(env: Record<string, string | undefined> = process.env): void {
  // Where the platform loads the module at full CPU, undici's few ms are paid there, not out of the
  // first event's share of a vCPU (docs/decisions.md §11). A failure shows on the first send.
  if (initRunsAtFullCpu(env)) prepareTransport();
  // The TOP secret, when TOP_SECRET_ID names one, is read while the platform is still starting the
  // instance (docs/decisions.md §12); a failed read is tried again by the first event.
  if (env.TOP_SECRET_ID?.trim()) withTopSecret(env).catch(() => {});
  // Likewise the SDK of the DynamoDB table, when it is the store (docs/decisions.md §12).
  if (env.IDEMPOTENCY_DYNAMODB_TABLE?.trim()) void loadDynamoDb();
}
