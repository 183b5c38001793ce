// The part of @alicloud/fc2 (untyped) that parkflow uses.
declare module '@alicloud/fc2' {
  interface FcClientConfig {
    accessKeyID: string;
    accessKeySecret: string;
    securityToken?: string | undefined;
    region: string;
    secure?: boolean;
    internal?: boolean;
    timeout?: number;
    endpoint?: string;
  }
  export default class FC {
    constructor(accountId: string, config: FcClientConfig);
    invokeFunction(
      service: string,
      fn: string,
      event: string | Buffer,
      headers?: Record<string, string>,
      qualifier?: string,
    ): Promise<{ headers: Record<string, string | undefined>; data: unknown }>;
  }
}
