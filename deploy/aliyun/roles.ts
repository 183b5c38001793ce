// The service-linked roles EventBridge needs before FC can create a trigger it runs (the MNS queue
// triggers): checked and created through Resource Management (API 2020-03-31), as Serverless Devs' fc3 does.
import type { DeployConfig } from './config.js';
import { clientConfig, dara, openApi } from './openapi.js';
import { type Change, compare, type Resource } from './plan.js';

/** Role name by the service that assumes it (Alibaba Cloud's list of service-linked roles). */
const EVENTBRIDGE_ROLES = {
  /** EventBridge invoking the function. */
  'sendevent-fc.eventbridge.aliyuncs.com': 'AliyunServiceRoleForEventBridgeSendToFC',
  /** EventBridge reading an MNS queue: fc3 asks for this service for an MNS source. */
  'sendevent-mns.eventbridge.aliyuncs.com': 'AliyunServiceRoleForEventBridgeSendToMNS',
} as const;

const RESOURCE_MANAGER = 'resourcemanager.aliyuncs.com';

/** What to do when a role cannot be checked or made: one line naming the fix. */
const fix = (role: string, error: unknown) =>
  new Error(
    `Cannot check or create the service-linked role ${role}, which the EventBridge queue triggers need ` +
      `(${(error as Error).message.split('\n')[0]}). Activate EventBridge (https://eventbridge.console.aliyun.com), ` +
      'then let the deploy call ram:CreateServiceLinkedRole (e.g. the AliyunRAMFullAccess policy) or create the role once in the EventBridge console.',
  );

/** Roles to check and create first; none when no EventBridge trigger is deployed. */
export async function planRoles(config: DeployConfig): Promise<Change[]> {
  if (!config.settings.queueTriggers) return [];
  const client = new openApi.default(clientConfig(config, RESOURCE_MANAGER, config.env.RESOURCE_MANAGER_ENDPOINT));
  const call = async (action: string, method: string, serviceName: string): Promise<Resource> => {
    const params = new openApi.$OpenApiUtil.Params({
      action,
      version: '2020-03-31',
      protocol: 'HTTPS',
      pathname: '/',
      method,
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const request = new openApi.$OpenApiUtil.OpenApiRequest({ query: { ServiceName: serviceName } });
    const answer = await client.callApi(params, request, new dara.RuntimeOptions({}));
    return (answer as { body: Resource }).body;
  };
  return Promise.all(
    Object.entries(EVENTBRIDGE_ROLES).map(async ([service, role]) => {
      const guard = <T>(p: Promise<T>) => p.catch((error) => Promise.reject(fix(role, error)));
      return compare({
        kind: 'service-linked role',
        name: role,
        want: {},
        read: () =>
          guard(call('CheckServiceLinkedRoleExistence', 'GET', service)).then((r) => (r.Exists ? r : undefined)),
        create: () => guard(call('CreateServiceLinkedRole', 'POST', service)).then((r) => r.Role as Resource),
        update: async () => undefined,
      });
    }),
  );
}
