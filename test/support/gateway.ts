// The sandbox TOP gateway for tests, with the settings a function needs to reach it.
import { SANDBOX_APP_KEY, SANDBOX_APP_SECRET, type Sandbox, startSandbox } from '../../dev/sandbox/index.js';

export async function gateway(): Promise<Sandbox> {
  return startSandbox({ port: 0 });
}

/** The environment a function instance needs to report to `sandbox`. */
export function envFor(sandbox: Sandbox, extra: Record<string, string | undefined> = {}) {
  return {
    TOP_APP_KEY: SANDBOX_APP_KEY,
    TOP_APP_SECRET: SANDBOX_APP_SECRET,
    TOP_GATEWAY_URL: sandbox.url,
    TOP_SIGN_METHOD: 'hmac-sha256',
    TOP_TIMEOUT_MS: '2000',
    ...extra,
  };
}
