// A stand-in for the Function Compute API (2016-08-15) over real HTTP: it checks each request's
// `Authorization: FC <key id>:<signature>` against its own computation of FC's signing rules, keeps
// services, functions, triggers and async-invocation configs in memory, and records every request.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc64 } from '../../deploy/aliyun/crc64.js';

export interface FcRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
}

export interface FcApiOptions {
  accountId: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

type Resource = Record<string, any>;
const VERSION = '/2016-08-15';

class FcError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** FC's string to sign: method, Content-MD5, Content-Type, Date, the x-fc-* headers sorted, the path. */
function expectedSignature(req: IncomingMessage, path: string, secret: string): string {
  const h = req.headers;
  const fcHeaders = Object.keys(h)
    .filter((k) => k.startsWith('x-fc-'))
    .sort()
    .map((k) => `${k}:${h[k]}\n`)
    .join('');
  const source = `${req.method}\n${h['content-md5'] ?? ''}\n${h['content-type'] ?? ''}\n${h.date}\n${fcHeaders}${path}`;
  return createHmac('sha256', secret).update(source, 'utf8').digest('base64');
}

export async function startFcApi(options: FcApiOptions) {
  const requests: FcRequest[] = [];
  const rejected: string[] = [];
  const services = new Map<string, Resource>();
  const functions = new Map<string, Resource>();
  const triggers = new Map<string, Resource>();
  const asyncConfigs = new Map<string, Resource>();
  const now = () => new Date().toISOString();

  function authenticate(req: IncomingMessage, path: string, raw: Buffer) {
    const h = req.headers;
    const auth = /^FC ([^:\s]+):([A-Za-z0-9+/]+=*)$/.exec(h.authorization ?? '');
    const problems = [
      !auth && `Authorization is not "FC <key id>:<base64 signature>": ${h.authorization}`,
      auth && auth[1] !== options.accessKeyId && `unknown access key id ${auth[1]}`,
      auth && auth[2] !== expectedSignature(req, path, options.accessKeySecret) && 'the signature does not match',
      h['x-fc-account-id'] !== options.accountId && `x-fc-account-id is ${h['x-fc-account-id']}`,
      Math.abs(Date.parse(h.date ?? '') - Date.now()) > 15 * 60_000 && `Date is off or missing: ${h.date}`,
      h['x-fc-security-token'] !== options.securityToken && 'x-fc-security-token does not match',
      raw.length > 0 &&
        h['content-md5'] !== Buffer.from(createHash('md5').update(raw).digest('hex')).toString('base64') &&
        'Content-MD5 does not match the body',
    ].filter((p): p is string => typeof p === 'string');
    if (problems.length > 0) {
      rejected.push(...problems);
      throw new FcError(403, 'SignatureNotMatch', problems.join('; '));
    }
  }

  const find = (store: Map<string, Resource>, key: string, code: string) => {
    const found = store.get(key);
    if (!found) throw new FcError(404, code, `${key} does not exist`);
    return found;
  };
  const create = (store: Map<string, Resource>, key: string, value: Resource) => {
    if (store.has(key)) throw new FcError(409, 'AlreadyExists', `${key} already exists`);
    store.set(key, { ...value, createdTime: now(), lastModifiedTime: now() });
    return store.get(key) as Resource;
  };
  const update = (store: Map<string, Resource>, key: string, code: string, value: Resource) => {
    const merged = { ...find(store, key, code), ...value, lastModifiedTime: now() };
    store.set(key, merged);
    return merged;
  };
  /** FC keeps a checksum of the code, not the code. */
  const withCode = (fn: Resource) => {
    if (!fn.code) return fn;
    const { code, ...rest } = fn;
    const zip = Buffer.from(code.zipFile, 'base64');
    return { ...rest, codeChecksum: crc64(zip), codeSize: zip.length };
  };

  /** Paths: /services[/s[/functions[/f[/triggers[/t] | /async-invoke-config]]]]. */
  function route(method: string, path: string, body: Resource): Resource {
    const segments = path.split('/').slice(1);
    const [, s = '', , f = '', sub = '', t = ''] = segments;
    const fnKey = `${s}/${f}`;
    const service = () => find(services, s, 'ServiceNotFound');
    const fn = () => {
      service();
      return find(functions, fnKey, 'FunctionNotFound');
    };
    switch (`${method} ${segments.length} ${sub}`) {
      case 'POST 1 ':
        return create(services, body.serviceName, { ...body, serviceId: `sid-${body.serviceName}` });
      case 'GET 2 ':
        return service();
      case 'PUT 2 ':
        return update(services, s, 'ServiceNotFound', body);
      case 'POST 3 ':
        service();
        return create(functions, `${s}/${body.functionName}`, { ...withCode(body), instanceConcurrency: 1 });
      case 'GET 4 ':
        return fn();
      case 'PUT 4 ':
        return update(functions, fnKey, 'FunctionNotFound', withCode(body));
      case 'POST 5 triggers':
        fn();
        return create(triggers, `${fnKey}/${body.triggerName}`, {
          ...body,
          qualifier: 'LATEST',
          ...(body.triggerType === 'http' && {
            triggerConfig: { disableURLInternet: false, ...body.triggerConfig },
            urlInternet: `https://${f}-${s}-x1y2z3.cn-hangzhou.fcapp.run`,
          }),
        });
      case 'GET 6 triggers':
        return find(triggers, `${fnKey}/${t}`, 'TriggerNotFound');
      case 'PUT 6 triggers':
        return update(triggers, `${fnKey}/${t}`, 'TriggerNotFound', body);
      case 'GET 5 async-invoke-config':
        fn();
        return find(asyncConfigs, fnKey, 'AsyncConfigNotExists');
      case 'PUT 5 async-invoke-config':
        fn();
        asyncConfigs.set(fnKey, { ...body, service: s, function: f, qualifier: 'LATEST', lastModifiedTime: now() });
        return asyncConfigs.get(fnKey) as Resource;
      default:
        throw new FcError(400, 'InvalidArgument', `the stand-in has no ${method} ${path}`);
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = (req.url ?? '').split('?')[0] as string;
      const method = req.method ?? '';
      let status = 200;
      let answer: Resource;
      try {
        const body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
        requests.push({ method, path, headers: req.headers, body });
        if (!path.startsWith(VERSION)) throw new FcError(404, 'NotFound', `no API version in ${path}`);
        authenticate(req, path, raw);
        answer = route(method, path.slice(VERSION.length), body ?? {});
      } catch (error) {
        status = error instanceof FcError ? error.status : 500;
        answer = { ErrorCode: (error as FcError).code ?? 'InternalError', ErrorMessage: (error as Error).message };
      }
      res.writeHead(status, { 'content-type': 'application/json', 'x-fc-request-id': `req-${requests.length}` });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Problems with the requests' signatures or headers; empty when every request was well signed. */
    rejected,
    functions,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type FcApi = Awaited<ReturnType<typeof startFcApi>>;
