// Contender (b): parkflow's own handler with its TOP client swapped for node-taobao-topclient, the
// public npm TOP client. It keeps parkflow's envelope, validation and logging, so the comparison
// measures the TOP client alone. One attempt per event: the SDK has no retry and no timeout.
import TopClient from 'node-taobao-topclient';
import type { Sent } from '../shared/outcome.js';
import type { TopCall, TopClientConfig } from '../shared/top/client.js';
import { wireValue } from '../shared/top/params.js';

let client: TopClient | undefined;

export async function callTop(config: TopClientConfig, call: TopCall): Promise<Sent> {
  client ??= new TopClient({ appkey: config.appKey, appsecret: config.appSecret, REST_URL: config.gatewayUrl });
  // The SDK would sign an absent value as the text "undefined", and sends dates as ISO: give it wire text.
  const params: Record<string, string> = {};
  for (const key in call.params) {
    const text = wireValue(call.params[key]);
    if (text !== undefined) params[key] = text;
  }
  try {
    const response = (await client.execute(call.method, params)) ?? {};
    const result = response[call.resultField] as { success?: boolean } | undefined;
    if (result?.success === false) {
      return {
        kind: 'rejected',
        failure: { reason: 'business_failure', message: 'TOP did not accept it' },
        attempts: 1,
      };
    }
    return { kind: 'delivered', request_id: response.request_id as string | undefined, response, attempts: 1 };
  } catch (err) {
    const e = err as { name?: string; message?: string } | undefined;
    const failure = { reason: e?.name === 'TOPClientError' ? 'top_error' : 'network', message: String(e?.message) };
    return e?.name === 'TOPClientError'
      ? { kind: 'rejected', failure, attempts: 1 }
      : { kind: 'transient', failure, attempts: 1, retryAfterSeconds: 10 };
  }
}
