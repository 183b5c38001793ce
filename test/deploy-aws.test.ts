// `osls package` turns serverless.yml into the CloudFormation template a deploy would send, offline and
// with no AWS credentials; the assertions below read that template.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, FUNCTIONS, ROOT } from '../deploy/functions.js';

type Resource = { Type: string; Properties: Record<string, any> };
const STAGE = 'ci';
const CANARY = 'canary-secret-in-the-environment';
// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own Fn::Sub placeholders.
const SECRET_ARN = 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:parkflow/top-??????';

let out: string;
let resources: Record<string, Resource>;
let packagingMs: number;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'parkflow-osls-'));
  // No AWS credentials or settings at all; a TOP secret in the environment must not leak into the package.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^AWS_|^DELIVERY_MODE$|^TOP_SECRET_ID$|^IDEMPOTENCY_|^TOP_RATE_/.test(k),
    ),
  );
  const started = Date.now();
  await promisify(execFile)(
    join(ROOT, 'node_modules', '.bin', 'osls'),
    ['package', '--stage', STAGE, '--package', out],
    { cwd: ROOT, env: { ...env, TOP_APP_SECRET: CANARY, TOP_RATE_LIMIT: '90' } },
  );
  packagingMs = Date.now() - started;
  resources = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')).Resources;
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });
function idOf(type: string, match: (p: Record<string, any>) => boolean): string {
  const found = ofType(type).find(([, r]) => match(r.Properties));
  if (!found) throw new Error(`no ${type} matches`);
  return found[0];
}

/** Every `Ref` and `Fn::GetAtt` target inside a value. */
function references(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(references);
  if (value === null || typeof value !== 'object') return [];
  const v = value as Record<string, any>;
  if (typeof v.Ref === 'string') return [v.Ref];
  if (Array.isArray(v['Fn::GetAtt'])) return [v['Fn::GetAtt'][0]];
  return Object.values(v).flatMap(references);
}

describe('serverless.yml, packaged by osls', () => {
  it('packages offline, without credentials, in well under a minute', () => {
    expect(packagingMs).toBeLessThan(30_000);
    expect(
      ofType('AWS::Lambda::Function')
        .map(([, r]) => r.Properties.FunctionName)
        .sort(),
    ).toEqual(FUNCTIONS.map((fn) => `parkflow-${STAGE}-${fn}`));
  });

  it('keeps secrets out: the functions name the Secrets Manager secret they read, and hold no value of it', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      const vars = fn.Properties.Environment.Variables;
      expect(vars.TOP_SECRET_ID).toBe('parkflow/top');
      // No value, and no reference CloudFormation would resolve into one.
      expect(JSON.stringify(vars)).not.toMatch(/resolve:|secretsmanager|ssm/);
      for (const name of ['TOP_APP_SECRET', 'TOP_APP_KEY', 'WEBHOOK_SECRETS', 'IDEMPOTENCY_REDIS_URL'])
        expect(vars).not.toHaveProperty(name);
      // Production refuses unsigned webhooks.
      expect(vars.NODE_ENV).toBe('production');
    }
    for (const file of readdirSync(out)) expect(readFileSync(join(out, file), 'utf8')).not.toContain(CANARY);
  });

  it('passes the call rate given at deploy to every function, and leaves out a burst not given', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables.TOP_RATE_LIMIT).toBe('90');
      expect(fn.Properties.Environment.Variables).not.toHaveProperty('TOP_RATE_BURST');
    }
  });

  it('keeps idempotency records in one on-demand DynamoDB table, expired by TTL on `expiry`', () => {
    const tables = ofType('AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    // The key and TTL attribute the DynamoDB store writes (shared/idempotency/dynamodb-store.ts).
    expect(tables[0]?.[1].Properties).toMatchObject({
      TableName: `parkflow-${STAGE}-idempotency`,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiry', Enabled: true },
    });
    // Redis only when a URL is given at deploy: the table is the store on AWS.
    for (const [, f] of ofType('AWS::Lambda::Function')) {
      expect(f.Properties.Environment.Variables.IDEMPOTENCY_DYNAMODB_TABLE).toEqual({ Ref: tables[0]?.[0] });
      expect(f.Properties.Environment.Variables).not.toHaveProperty('IDEMPOTENCY_REDIS_URL');
    }
  });

  describe.each(FUNCTIONS)('%s', (fn) => {
    const name = `parkflow-${STAGE}-${fn}`;
    const lambda = () => idOf('AWS::Lambda::Function', (p) => p.FunctionName === name);
    const queue = () => idOf('AWS::SQS::Queue', (p) => p.QueueName === name);
    const deadLetters = () => idOf('AWS::SQS::Queue', (p) => p.QueueName === `${name}-dlq`);
    const props = () => (resources[lambda()] as Resource).Properties;

    it('runs its own bundle on nodejs22.x, arm64', () => {
      expect(props()).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
      expect(props().MemorySize).toBeGreaterThanOrEqual(128);
      // Its package is its own zip, holding just its own bundle and the HTTP parser it reads.
      expect(props().Code.S3Key).toMatch(new RegExp(`/${fn}\\.zip$`));
      const state = JSON.parse(readFileSync(join(out, 'serverless-state.json'), 'utf8'));
      expect(state.service.functions[fn].package.artifact).toBe(`dist/${fn}.zip`);
      const files = unzipSync(readFileSync(artifactPath(fn)));
      expect(Object.keys(files)).toEqual(['index.js', 'llhttp.wasm']);
      for (const file of Object.keys(files)) {
        const built = readFileSync(join(ROOT, 'dist', fn, file));
        expect(Buffer.from(files[file] as Uint8Array).equals(built)).toBe(true);
      }
    });

    it('has a POST route on the HTTP API', () => {
      const integration = idOf('AWS::ApiGatewayV2::Integration', (p) =>
        references(p.IntegrationUri).includes(lambda()),
      );
      const route = ofType('AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === `POST /${fn}`);
      expect(references(route?.[1].Properties.Target)).toEqual([integration]);
    });

    it('consumes its own queue, reporting partial batch failures, with a dead-letter queue', () => {
      const mapping = ofType('AWS::Lambda::EventSourceMapping').find(([, r]) =>
        references(r.Properties.FunctionName).includes(lambda()),
      );
      expect(mapping?.[1].Properties).toMatchObject({
        EventSourceArn: getAtt(queue()),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      const q = (resources[queue()] as Resource).Properties;
      expect(q.RedrivePolicy).toEqual({
        deadLetterTargetArn: getAtt(deadLetters()),
        maxReceiveCount: expect.any(Number),
      });
      // A message is not handed out again while an invocation may still be working on it.
      expect(q.VisibilityTimeout).toBeGreaterThanOrEqual(6 * props().Timeout);
      expect(props().Environment.Variables).toMatchObject({
        DELIVERY_QUEUE_URL: { Ref: queue() },
        DEAD_LETTER_SQS_URL: { Ref: deadLetters() },
      });
    });

    it('has a role that reaches only its own queues and log group, and the items of the idempotency table', () => {
      const role = references(props().Role)[0] as string;
      const table = idOf('AWS::DynamoDB::Table', (p) => p.TableName === `parkflow-${STAGE}-idempotency`);
      const logGroup = idOf('AWS::Logs::LogGroup', (p) => p.LogGroupName === `/aws/lambda/${name}`);
      expect((resources[logGroup] as Resource).Properties.RetentionInDays).toBeGreaterThan(0);
      const statements = (resources[role] as Resource).Properties.Policies.flatMap(
        (p: any) => p.PolicyDocument.Statement,
      );
      expect(new Set(references(statements))).toEqual(new Set([queue(), deadLetters(), logGroup, table]));
      expect(JSON.stringify(statements)).not.toMatch(/"\*"|ssm:/);
      // Secrets Manager: that one secret (its ARN ends in six random characters), read only.
      const onSecrets = statements.filter((s: any) => JSON.stringify(s).includes('secretsmanager'));
      expect(onSecrets).toEqual([
        {
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: { 'Fn::Sub': SECRET_ARN },
        },
      ]);
      const sends = statements.find((s: any) => [s.Action].flat().includes('sqs:SendMessage'));
      expect(sends.Resource).toEqual([getAtt(queue()), getAtt(deadLetters())]);
      // Item reads and writes on that one table (the call limit's item too: GetItem and UpdateItem):
      // no Scan, Query or table management.
      const onTable = statements.filter((s: any) => references(s.Resource).includes(table));
      expect(onTable).toEqual([
        {
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          Resource: getAtt(table),
        },
      ]);
    });
  });

  it('alarms when any dead-letter queue holds a message', () => {
    const [[, alarm] = []] = ofType('AWS::CloudWatch::Alarm');
    const p = (alarm as Resource).Properties;
    expect(p).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 0 });
    expect(p.AlarmActions).toHaveLength(1);
    const watched = p.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric);
    for (const m of watched) expect(m.MetricName).toBe('ApproximateNumberOfMessagesVisible');
    const queues = FUNCTIONS.map((fn) => idOf('AWS::SQS::Queue', (q) => q.QueueName === `parkflow-${STAGE}-${fn}-dlq`));
    expect(watched.map((m: any) => m.Dimensions[0].Value)).toEqual(queues.map((q) => getAtt(q, 'QueueName')));
  });
});
