export { type ErrorEnvelope, requestId, type TopError } from './envelopes.js';
export { FAULT_KINDS, validateFaultRule } from './faults.js';
export type { LimitView } from './limit.js';
export { startSandbox } from './server.js';
export {
  type FaultKind,
  type FaultRule,
  type FaultView,
  SANDBOX_APP_KEY,
  SANDBOX_APP_SECRET,
  type Sandbox,
  type SandboxCall,
  type SandboxLimit,
  type SandboxOptions,
  type StoredFault,
} from './types.js';
