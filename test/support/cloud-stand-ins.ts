// Local stand-ins for the cloud APIs parkflow calls (SQS, MNS, FC), on 127.0.0.1: they record each request and answer as the real API does.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface StandIn {
  origin: string;
  requests: RecordedRequest[];
  /** Answers every request with this status until cleared (undefined). */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

async function startStandIn(answer: (req: RecordedRequest) => Answer): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  let failure: number | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const a = failure ? { status: failure, body: 'stand-in failure' } : answer(recorded);
      res.writeHead(a.status, a.headers ?? {});
      res.end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    failWith: (status) => {
      failure = status;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface SqsMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  received: boolean;
}

/**
 * SQS's JSON protocol (`X-Amz-Target: AmazonSQS.<Action>`) over one in-memory queue: SendMessage
 * (the SDK checks MD5OfMessageBody), ReceiveMessage (each message once) and DeleteMessage.
 */
export async function startSqs(): Promise<StandIn & { queued: SqsMessage[] }> {
  const queued: SqsMessage[] = [];
  const json = (body: unknown) => ({
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(body),
  });
  const standIn = await startStandIn((req) => {
    const input = JSON.parse(req.body || '{}') as {
      MessageBody?: string;
      ReceiptHandle?: string;
      MaxNumberOfMessages?: number;
    };
    switch (req.headers['x-amz-target']) {
      case 'AmazonSQS.SendMessage': {
        const message = {
          MessageId: randomUUID(),
          ReceiptHandle: randomUUID(),
          Body: input.MessageBody ?? '',
          received: false,
        };
        queued.push(message);
        return json({
          MD5OfMessageBody: createHash('md5').update(message.Body).digest('hex'),
          MessageId: message.MessageId,
        });
      }
      case 'AmazonSQS.ReceiveMessage': {
        const batch = queued.filter((m) => !m.received).slice(0, input.MaxNumberOfMessages ?? 1);
        for (const m of batch) m.received = true;
        return json({
          Messages: batch.map(({ MessageId, ReceiptHandle, Body }) => ({
            MessageId,
            ReceiptHandle,
            Body,
            MD5OfBody: createHash('md5').update(Body).digest('hex'),
          })),
        });
      }
      case 'AmazonSQS.DeleteMessage': {
        const i = queued.findIndex((m) => m.ReceiptHandle === input.ReceiptHandle);
        if (i >= 0) queued.splice(i, 1);
        return json({});
      }
      default:
        return { status: 400, body: JSON.stringify({ __type: 'InvalidAction' }) };
    }
  });
  return Object.assign(standIn, { queued });
}

/** MNS SendMessage: 201 with the message id in XML. */
export function startMns(): Promise<StandIn> {
  return startStandIn(() => ({
    status: 201,
    headers: { 'content-type': 'text/xml;charset=utf-8', 'x-mns-request-id': randomUUID() },
    body: `<?xml version="1.0" encoding="UTF-8"?><Message xmlns="http://mns.aliyuncs.com/doc/v1/"><MessageId>${randomUUID().replace(/-/g, '').toUpperCase()}</MessageId><MessageBodyMD5>0</MessageBodyMD5></Message>`,
  }));
}

/** FC's InvokeFunction with `x-fc-invocation-type: Async`: 202 and a request id. */
export function startFc(): Promise<StandIn> {
  return startStandIn(() => ({ status: 202, headers: { 'x-fc-request-id': randomUUID() }, body: '' }));
}

/** What the SQS stand-in received in SendMessage calls. */
export const sentSqsMessages = (sqs: StandIn) =>
  sqs.requests
    .filter((r) => r.headers['x-amz-target'] === 'AmazonSQS.SendMessage')
    .map(
      (r) =>
        JSON.parse(r.body) as {
          QueueUrl: string;
          MessageBody: string;
          MessageGroupId?: string;
          MessageDeduplicationId?: string;
        },
    );

/**
 * Secrets Manager's JSON protocol (`X-Amz-Target: secretsmanager.GetSecretValue`): a secret's
 * SecretString from `secrets`, ResourceNotFoundException for an unknown id, AccessDeniedException
 * for one in `denied`. Both are changed by the tests as they go (a rotation, a revoked grant).
 */
export async function startSecretsManager(): Promise<
  StandIn & { secrets: Map<string, string>; denied: Set<string>; reads: () => number }
> {
  const secrets = new Map<string, string>();
  const denied = new Set<string>();
  const error = (type: string, message: string) => ({
    status: 400,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify({ __type: type, message }),
  });
  const standIn = await startStandIn((req) => {
    if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue')
      return error('InvalidAction', 'no such action');
    const { SecretId } = JSON.parse(req.body || '{}') as { SecretId?: string };
    const id = SecretId ?? '';
    if (denied.has(id))
      return error(
        'AccessDeniedException',
        `User: arn:aws:sts::123456789012:assumed-role/parkflow is not authorized to perform: secretsmanager:GetSecretValue on resource: ${id}`,
      );
    const value = secrets.get(id);
    if (value === undefined)
      return error('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return {
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
      body: JSON.stringify({
        ARN: `arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:${id}-AbCdEf`,
        Name: id,
        VersionId: randomUUID(),
        SecretString: value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: Date.now() / 1000,
      }),
    };
  });
  const reads = () =>
    standIn.requests.filter((r) => r.headers['x-amz-target'] === 'secretsmanager.GetSecretValue').length;
  return Object.assign(standIn, { secrets, denied, reads });
}
