// The public npm TOP client the benchmarks compare against (it ships no types).
declare module 'node-taobao-topclient' {
  export default class TopClient {
    constructor(options: { appkey: string; appsecret: string; REST_URL?: string });
    /** Resolves with the `<method>_response` object, or rejects with TOP's error_response as an Error. */
    execute(method: string, params: Record<string, string>, type?: string): Promise<Record<string, unknown> | null>;
  }
}
