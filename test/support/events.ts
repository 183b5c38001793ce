// Trigger events shaped field for field as the platforms deliver them (docs/platforms.md §1–§5).
import { Readable } from 'node:stream';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';

type Body = string | Record<string, unknown>;
const text = (body: Body): string => (typeof body === 'string' ? body : JSON.stringify(body));
const NOW = 1_700_000_000_000;

/** API Gateway REST API, Lambda proxy integration (v1). */
export function apigwRest(
  body: Body,
  opts: { base64?: boolean; method?: string; headers?: Record<string, string> } = {},
): APIGatewayProxyEvent {
  const raw = text(body);
  return {
    resource: '/arrive',
    path: '/arrive',
    httpMethod: opts.method ?? 'POST',
    headers: { 'Content-Type': 'application/json', ...opts.headers },
    multiValueHeaders: { 'Content-Type': ['application/json'] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: opts.method ?? 'POST',
      identity: {
        sourceIp: '203.0.113.7',
        userAgent: 'parking-saas/1.0',
      } as APIGatewayProxyEvent['requestContext']['identity'],
      path: '/prod/arrive',
      stage: 'prod',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: NOW,
      resourceId: 'abc123',
      resourcePath: '/arrive',
    },
    body: opts.base64 ? Buffer.from(raw).toString('base64') : raw,
    isBase64Encoded: opts.base64 ?? false,
  };
}

/** HTTP API payload 2.0, also what a Lambda Function URL sends. */
export function apigwHttp(
  body: Body,
  opts: { base64?: boolean; method?: string; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const raw = text(body);
  const method = opts.method ?? 'POST';
  return {
    version: '2.0',
    routeKey: `${method} /arrive`,
    rawPath: '/arrive',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...opts.headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      domainName: 'abcdef1234.execute-api.ap-southeast-1.amazonaws.com',
      domainPrefix: 'abcdef1234',
      http: { method, path: '/arrive', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'parking-saas/1.0' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: `${method} /arrive`,
      stage: '$default',
      time: '14/Nov/2023:22:13:20 +0000',
      timeEpoch: NOW,
    },
    body: opts.base64 ? Buffer.from(raw).toString('base64') : raw,
    isBase64Encoded: opts.base64 ?? false,
  };
}

/** FC 3.0 HTTP trigger: the runtime hands the function a Buffer of this JSON. */
export function fcHttp(
  body: Body,
  opts: { base64?: boolean; method?: string; headers?: Record<string, string> } = {},
): Buffer {
  const raw = text(body);
  const method = opts.method ?? 'POST';
  return Buffer.from(
    JSON.stringify({
      version: 'v1',
      rawPath: '/arrive',
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'parking-saas/1.0', ...opts.headers },
      queryParameters: {},
      body: opts.base64 ? Buffer.from(raw).toString('base64') : raw,
      isBase64Encoded: opts.base64 ?? false,
      requestContext: {
        accountId: '1234567890123456',
        domainName: 'arrive-parkflow-abcdefghij.cn-hangzhou.fcapp.run',
        domainPrefix: 'arrive-parkflow-abcdefghij',
        http: { method, path: '/arrive', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'parking-saas/1.0' },
        requestId: '1-6554f1c0-2e7c1f9e-8a1b2c3d4e5f',
        time: '2023-11-15T06:13:20Z',
        timeEpoch: String(NOW),
      },
    }),
  );
}

/** AWS Lambda's context: the deadline comes from getRemainingTimeInMillis. */
export function awsContext(remainingMs = 10_000): Context {
  const end = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'parkflow-dev-arrive',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:ap-southeast-1:123456789012:function:parkflow-dev-arrive',
    memoryLimitInMB: '256',
    awsRequestId: 'aws-req-1',
    logGroupName: '/aws/lambda/parkflow-dev-arrive',
    logStreamName: '2023/11/15/[$LATEST]abc',
    getRemainingTimeInMillis: () => end - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * FC 3.0's context: the deadline comes from function.timeout, in seconds; there are no services,
 * so `service` has no name, and holds the invoked qualifier.
 */
export function fcContext(timeoutSeconds = 10) {
  return {
    requestId: '1-6554f1c0-2e7c1f9e-8a1b2c3d4e5f',
    credentials: { accessKeyId: 'STS.test', accessKeySecret: 'test', securityToken: 'test' },
    function: { name: 'arrive', handler: 'index.handler', memory: 256, timeout: timeoutSeconds },
    service: { logProject: '', logStore: '', qualifier: 'LATEST', versionId: '' },
    region: 'cn-hangzhou',
    accountId: '1234567890123456',
    logger: console,
  };
}

/** FC 2.0's context: as FC 3.0's, with the function's service named in `service.name`. */
export function fc2Context(timeoutSeconds = 10) {
  const context = fcContext(timeoutSeconds);
  return {
    ...context,
    requestId: 'b1c5100f-819d-c421-3a5e-7782a27d8a33',
    service: { ...context.service, name: 'parkflow' },
  };
}

/**
 * FC 2.0's HTTP request, as its Node runtime hands it to `handler(request, response, context)`: a
 * readable stream of the body carrying `headers`, `method`, `path`, `queries`, `clientIP` and `url`.
 * `chunks` default to the body in one piece; a `stall` stream never ends, a `fail` one errors.
 */
export function fc2Request(
  body: Body,
  opts: { method?: string; headers?: Record<string, string>; chunks?: Buffer[]; stall?: boolean; fail?: boolean } = {},
) {
  const chunks = opts.chunks ?? [Buffer.from(text(body))];
  const stream = new Readable({
    read() {
      const next = chunks.shift();
      if (next) this.push(next);
      else if (opts.fail) this.destroy(new Error('socket hang up'));
      else if (!opts.stall) this.push(null);
    },
  });
  return asFc2Request(stream, opts);
}

/** A readable stream of a body, given the properties of FC 2.0's HTTP request. */
export function asFc2Request(stream: Readable, opts: { method?: string; headers?: Record<string, string> } = {}) {
  return Object.assign(stream, {
    headers: { 'content-type': 'application/json', 'user-agent': 'parking-saas/1.0', ...opts.headers },
    method: opts.method ?? 'POST',
    path: '/2016-08-15/proxy/parkflow/arrive/',
    queries: {},
    clientIP: '203.0.113.7',
    url: '/2016-08-15/proxy/parkflow/arrive/',
  });
}

/** FC 2.0's HTTP response: records what the function set, and resolves `sent` on `send`. */
export function fc2Response() {
  let done: (body: string) => void = () => undefined;
  const sent = new Promise<string>((resolve) => {
    done = resolve;
  });
  const response = {
    statusCode: 200,
    headers: {} as Record<string, string>,
    sends: 0,
    sent,
    setStatusCode(status: number) {
      response.statusCode = status;
    },
    setHeader(name: string, value: string) {
      response.headers[name.toLowerCase()] = value;
    },
    deleteHeader(name: string) {
      delete response.headers[name.toLowerCase()];
    },
    send(body: string | Buffer) {
      response.sends++;
      done(body.toString());
    },
  };
  return response;
}
