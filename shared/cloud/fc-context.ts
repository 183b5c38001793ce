/** What FC 3.0's context says about the function and its temporary credentials (docs/platforms.md §4). */
export interface FcContext {
  requestId?: string;
  accountId: string;
  region: string;
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  function: { name: string; qualifier?: string };
  service?: { name: string };
}

export function fcContextOf(context: unknown): FcContext {
  const c = context as Partial<FcContext> | undefined;
  if (!c?.accountId || !c.region || !c.credentials?.accessKeyId || !c.function?.name) {
    throw new Error('The FC context lacks accountId, region, credentials or function.name.');
  }
  return c as FcContext;
}
