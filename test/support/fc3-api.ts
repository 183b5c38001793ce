// A stand-in for the Function Compute 3.0 API (2023-03-30) and for the two Resource Management
// calls (2020-03-31) the deploy makes, over real HTTP. It checks each request's V3 signature
// (`Authorization: ACS3-HMAC-SHA256 …`) against its own computation of the documented rules, the
// action and version headers against the route, and each body against the API reference's shape;
// it keeps functions, triggers, async configs and service-linked roles in memory and records every request.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { crc64 } from '../../deploy/aliyun/crc64.js';

export interface Fc3Request {
  method: string;
  path: string;
  query: Record<string, string>;
  action: string | undefined;
  headers: IncomingMessage['headers'];
  body: any;
}

export interface Fc3ApiOptions {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** Service-linked roles that already exist, by service name. */
  roles?: string[];
  /** Resource Management refuses the caller, as it does a key without RAM permissions. */
  rolesDenied?: boolean;
}

type Resource = Record<string, any>;
const FC = '2023-03-30';
const RESOURCE_MANAGER = '2020-03-31';

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
/** RFC 3986 percent-encoding, as the V3 signature rules ask for query names and values. */
const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * V3 signature: CanonicalRequest = method, URI, sorted encoded query, `name:value` lines of the
 * signed headers (lower case, sorted), their names joined with `;`, the body's SHA-256; the string
 * to sign is `ACS3-HMAC-SHA256\n` + its SHA-256; the signature its HMAC-SHA256 in hex.
 */
function signatureProblems(req: IncomingMessage, raw: Buffer, options: Fc3ApiOptions): string[] {
  const h = req.headers;
  const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(
    h.authorization ?? '',
  );
  if (!auth)
    return [`Authorization is not "ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…": ${h.authorization}`];
  const [, keyId, signedList = '', signature] = auth;
  const signed = signedList.split(';');
  const mustSign = Object.keys(h).filter((k) => k === 'host' || k === 'content-type' || k.startsWith('x-acs-'));
  const [path = '', search = ''] = (req.url ?? '').split('?');
  const query = search
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('=').map((s) => encode(decodeURIComponent(s))) as [string, string?])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v = '']) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signed.map((k) => `${k}:${String(h[k] ?? '').trim()}\n`).join('');
  const payload = sha256(raw);
  const canonical = [req.method, path, query, canonicalHeaders, signedList, payload].join('\n');
  const expected = createHmac('sha256', options.accessKeySecret)
    .update(`ACS3-HMAC-SHA256\n${sha256(canonical)}`)
    .digest('hex');
  return [
    keyId !== options.accessKeyId && `unknown access key id ${keyId}`,
    [...signed].sort().join(';') !== signedList && 'SignedHeaders are not sorted',
    mustSign.some((k) => !signed.includes(k)) && `unsigned headers: ${mustSign.filter((k) => !signed.includes(k))}`,
    h['x-acs-content-sha256'] !== payload && 'x-acs-content-sha256 is not the SHA-256 of the body',
    !h['x-acs-signature-nonce'] && 'x-acs-signature-nonce is missing',
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(h['x-acs-date'] as string) && `x-acs-date is ${h['x-acs-date']}`,
    Math.abs(Date.parse(h['x-acs-date'] as string) - Date.now()) > 15 * 60_000 &&
      'x-acs-date is off by over 15 minutes',
    h['x-acs-security-token'] !== options.securityToken && 'x-acs-security-token does not match',
    signature !== expected && 'the signature does not match',
  ].filter((p): p is string => typeof p === 'string');
}

// Request bodies as the API reference gives them (CreateFunctionInput, UpdateFunctionInput, CreateTriggerInput,
// UpdateTriggerInput, PutAsyncInvokeConfigInput), limited to the fields the deploy is expected to send.
const functionFields = {
  description: z.string(),
  runtime: z.enum(['nodejs20', 'nodejs18', 'nodejs16']),
  handler: z.string().regex(/^[\w.-]+\.[\w]+$/),
  memorySize: z.int().multipleOf(64).min(128).max(32_768),
  timeout: z.int().min(1).max(86_400),
  environmentVariables: z.record(z.string(), z.string()),
  internetAccess: z.boolean(),
  role: z.string().regex(/^acs:ram::\d+:role\/[\w-]+$/),
  logConfig: z
    .strictObject({
      project: z.string(),
      logstore: z.string(),
      enableRequestMetrics: z.boolean(),
      logBeginRule: z.string(),
    })
    .optional(),
  code: z.strictObject({ zipFile: z.base64() }),
};
const json = z.string().transform((s, ctx) => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'triggerConfig is not JSON text' });
    return z.NEVER;
  }
});
const httpTriggerConfig = z.strictObject({ authType: z.enum(['anonymous', 'function']), methods: z.array(z.string()) });
const eventBridgeTriggerConfig = z.looseObject({
  triggerEnable: z.boolean(),
  asyncInvocationType: z.boolean(),
  eventSourceConfig: z.looseObject({ eventSourceType: z.enum(['MNS', 'RocketMQ', 'Kafka', 'RabbitMQ', 'Default']) }),
  runOptions: z.looseObject({ mode: z.string() }),
});
const BODIES = {
  CreateFunction: z.strictObject({ functionName: z.string().regex(/^[A-Za-z_][\w-]{0,127}$/), ...functionFields }),
  UpdateFunction: z.strictObject({ ...functionFields, code: functionFields.code.optional() }),
  CreateTrigger: z.strictObject({
    triggerName: z.string(),
    triggerType: z.enum(['http', 'eventbridge']),
    triggerConfig: json,
    qualifier: z.string(),
  }),
  UpdateTrigger: z.strictObject({ triggerConfig: json }),
  PutAsyncInvokeConfig: z.strictObject({
    maxAsyncRetryAttempts: z.int().min(0).max(8),
    maxAsyncEventAgeInSeconds: z.int().min(1).max(86_400),
    destinationConfig: z.strictObject({ onFailure: z.strictObject({ destination: z.string().startsWith('acs:') }) }),
  }),
} as const;

export async function startFc3Api(options: Fc3ApiOptions) {
  const requests: Fc3Request[] = [];
  const rejected: string[] = [];
  const functions = new Map<string, Resource>();
  const triggers = new Map<string, Resource>();
  const asyncConfigs = new Map<string, Resource>();
  /** Events taken by async InvokeFunction calls. */
  const invocations: { function: string; qualifier: string | undefined; event: string }[] = [];
  const roles = new Set(options.roles ?? []);
  const now = () => new Date().toISOString();

  const find = (store: Map<string, Resource>, key: string, code: string) => {
    const found = store.get(key);
    if (!found) throw new ApiError(404, code, `${key} does not exist`);
    return found;
  };
  /** FC keeps a checksum of the code, not the code. */
  const withCode = ({ code, ...rest }: Resource) => {
    if (!code) return rest;
    const zip = Buffer.from(code.zipFile, 'base64');
    return { ...rest, codeChecksum: crc64(zip), codeSize: zip.length };
  };
  const checked = <A extends keyof typeof BODIES>(action: A, body: unknown): z.output<(typeof BODIES)[A]> => {
    const parsed = (BODIES[action] as z.ZodType).safeParse(body);
    if (parsed.success) return parsed.data as z.output<(typeof BODIES)[A]>;
    throw new ApiError(400, 'InvalidArgument', `${action}: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
  };
  const checkTriggerConfig = (type: string, config: unknown) => {
    const parsed = (type === 'http' ? httpTriggerConfig : eventBridgeTriggerConfig).safeParse(config);
    if (!parsed.success) throw new ApiError(400, 'InvalidArgument', `triggerConfig: ${z.prettifyError(parsed.error)}`);
  };
  const arn = (f: string) => `acs:fc:cn-hangzhou:1234567890123456:functions/${f}`;

  /**
   * Routes: /2023-03-30/functions[/f[/triggers[/t] | /async-invoke-config | /invocations]]; the
   * x-acs-action must name the route.
   */
  function fc(
    method: string,
    path: string,
    query: Record<string, string>,
    body: any,
    headers: IncomingMessage['headers'],
    raw: Buffer,
  ): [string, () => Resource] {
    const [, , , f = '', sub = '', t = ''] = path.split('/');
    const fn = () => find(functions, f, 'FunctionNotFound');
    const depth = path.split('/').length - 1;
    switch (`${method} ${depth} ${sub}`) {
      case 'POST 2 ':
        return [
          'CreateFunction',
          () => {
            const input = checked('CreateFunction', body);
            if (functions.has(input.functionName)) throw new ApiError(409, 'FunctionAlreadyExists', input.functionName);
            const created = {
              ...withCode(input),
              functionArn: arn(input.functionName),
              state: 'Active',
              createdTime: now(),
            };
            functions.set(input.functionName, { ...created, lastModifiedTime: now() });
            return functions.get(input.functionName) as Resource;
          },
        ];
      case 'GET 3 ':
        return ['GetFunction', fn];
      case 'PUT 3 ':
        return [
          'UpdateFunction',
          () => {
            const updated = { ...fn(), ...withCode(checked('UpdateFunction', body)), lastModifiedTime: now() };
            functions.set(f, updated);
            return updated;
          },
        ];
      case 'POST 4 triggers':
        return [
          'CreateTrigger',
          () => {
            fn();
            const input = checked('CreateTrigger', body);
            checkTriggerConfig(input.triggerType, input.triggerConfig);
            const key = `${f}/${input.triggerName}`;
            if (triggers.has(key)) throw new ApiError(409, 'TriggerAlreadyExists', key);
            const http = input.triggerType === 'http';
            const config = http
              ? { disableURLInternet: false, ...(input.triggerConfig as Resource) }
              : input.triggerConfig;
            triggers.set(key, {
              ...body,
              triggerConfig: JSON.stringify(config),
              triggerId: `tid-${triggers.size}`,
              ...(http && {
                httpTrigger: {
                  urlInternet: `https://${f}-x1y2z3.cn-hangzhou.fcapp.run`,
                  urlIntranet: `https://${f}-x1y2z3.cn-hangzhou-vpc.fcapp.run`,
                },
              }),
              createdTime: now(),
            });
            return triggers.get(key) as Resource;
          },
        ];
      case 'GET 5 triggers':
        return ['GetTrigger', () => find(triggers, `${f}/${t}`, 'TriggerNotFound')];
      case 'PUT 5 triggers':
        return [
          'UpdateTrigger',
          () => {
            const trigger = find(triggers, `${f}/${t}`, 'TriggerNotFound');
            const input = checked('UpdateTrigger', body);
            checkTriggerConfig(trigger.triggerType, input.triggerConfig);
            trigger.triggerConfig = JSON.stringify(input.triggerConfig);
            return trigger;
          },
        ];
      case 'GET 4 async-invoke-config':
        return [
          'GetAsyncInvokeConfig',
          () => {
            fn();
            return find(asyncConfigs, `${f}:${query.qualifier ?? 'LATEST'}`, 'AsyncConfigNotExists');
          },
        ];
      case 'PUT 4 async-invoke-config':
        return [
          'PutAsyncInvokeConfig',
          () => {
            fn();
            const key = `${f}:${query.qualifier ?? 'LATEST'}`;
            asyncConfigs.set(key, {
              ...checked('PutAsyncInvokeConfig', body),
              functionArn: arn(f),
              lastModifiedTime: now(),
            });
            return asyncConfigs.get(key) as Resource;
          },
        ];
      case 'POST 4 invocations':
        return [
          'InvokeFunction',
          () => {
            fn();
            // Only the async call is expected: FC stores the event and answers 202 with no body.
            if (headers['x-fc-invocation-type'] !== 'Async')
              throw new ApiError(400, 'InvalidArgument', 'x-fc-invocation-type is not Async');
            invocations.push({ function: f, qualifier: query.qualifier, event: raw.toString('utf8') });
            return {};
          },
        ];
      default:
        throw new ApiError(404, 'NotFound', `the stand-in has no ${method} ${path}`);
    }
  }

  /** RPC: the action in x-acs-action, parameters in the query. */
  function resourceManager(action: string | undefined, method: string, query: Record<string, string>): Resource {
    const service = query.ServiceName;
    if (!service?.endsWith('.aliyuncs.com')) throw new ApiError(400, 'MissingParameter', 'ServiceName is required');
    if (options.rolesDenied) throw new ApiError(403, 'NoPermission', 'You are not authorized to do this action.');
    if (action === 'CheckServiceLinkedRoleExistence' && method === 'GET') return { Exists: roles.has(service) };
    if (action === 'CreateServiceLinkedRole' && method === 'POST') {
      if (roles.has(service)) throw new ApiError(409, 'EntityAlreadyExists.Role', `the role of ${service} exists`);
      roles.add(service);
      return { Role: { RoleName: `role-of-${service}`, Arn: `acs:ram::1234567890123456:role/${service}` } };
    }
    throw new ApiError(400, 'InvalidAction', `the stand-in has no ${method} ${action}`);
  }

  async function answer(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '', 'http://stand-in');
    const method = req.method ?? '';
    const action = req.headers['x-acs-action'] as string | undefined;
    let status = 200;
    let reply: Resource;
    try {
      const invoke = /\/invocations$/.test(url.pathname);
      // An invocation's body is the event's bytes, not a JSON request.
      const body = raw.length && !invoke ? JSON.parse(raw.toString('utf8')) : undefined;
      const query = Object.fromEntries(url.searchParams);
      requests.push({ method, path: url.pathname, query, action, headers: req.headers, body });
      const problems = signatureProblems(req, raw, options);
      if (problems.length > 0) {
        rejected.push(...problems);
        throw new ApiError(403, 'SignatureDoesNotMatch', problems.join('; '));
      }
      const version = req.headers['x-acs-version'];
      if (url.pathname === '/' && version === RESOURCE_MANAGER) {
        reply = resourceManager(action, method, query);
      } else if (url.pathname.startsWith(`/${FC}/functions`) && version === FC) {
        const [expected, run] = fc(method, url.pathname, query, body, req.headers, raw);
        if (action !== expected) throw new ApiError(400, 'InvalidAction', `x-acs-action is ${action}, not ${expected}`);
        reply = run();
        if (invoke) status = 202;
      } else {
        throw new ApiError(404, 'NotFound', `no API ${version} at ${url.pathname}`);
      }
    } catch (error) {
      status = error instanceof ApiError ? error.status : 500;
      const code = error instanceof ApiError ? error.code : 'InternalError';
      reply = { Code: code, Message: (error as Error).message };
      if (status === 400) rejected.push((error as Error).message);
    }
    const requestId = `req-${requests.length}`;
    if (status === 202) {
      res.writeHead(202, { 'x-fc-request-id': requestId }).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', 'x-acs-request-id': requestId });
    res.end(JSON.stringify({ ...reply, RequestId: requestId }));
  }
  const server = createServer((req, res) => void answer(req, res));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      // The SDK keeps connections alive: close them rather than wait for them to idle out.
      server.closeAllConnections();
    });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  /** `rejected`: problems with the requests' signatures, headers or bodies; empty when every request was right. */
  return { url, requests, rejected, functions, triggers, roles, invocations, close };
}
export type Fc3Api = Awaited<ReturnType<typeof startFc3Api>>;
