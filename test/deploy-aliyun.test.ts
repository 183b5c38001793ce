import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadDeployConfig, type Settings } from '../deploy/aliyun/config.js';
import { crc64 } from '../deploy/aliyun/crc64.js';
import { main } from '../deploy/aliyun/main.js';
import { HANDLER, RUNTIME } from '../deploy/aliyun/spec.js';
import { artifactPath, FUNCTIONS, ROOT } from '../deploy/functions.js';
import { type FcApi, startFcApi } from './support/fc-api.js';
import { type Fc3Api, startFc3Api } from './support/fc3-api.js';

const CONFIG_FILE = join(ROOT, 'deploy', 'aliyun', 'config.json');
const SETTINGS = JSON.parse(readFileSync(CONFIG_FILE, 'utf8')) as Settings;
const ACCOUNT = '1234567890123456';
const KEYS = { accessKeyId: 'LTAI-test-key', accessKeySecret: 'test-access-key-secret' };
const TOP_SECRET = 'top-secret-never-printed';

const deployEnv = (fc: { url: string }, extra: Record<string, string> = {}) => ({
  ALIBABA_CLOUD_ACCOUNT_ID: ACCOUNT,
  ALIBABA_CLOUD_ACCESS_KEY_ID: KEYS.accessKeyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEYS.accessKeySecret,
  FC_ENDPOINT: fc.url,
  RESOURCE_MANAGER_ENDPOINT: fc.url,
  TOP_APP_KEY: '12345678',
  TOP_APP_SECRET: TOP_SECRET,
  ...extra,
});

/** A settings file: the shipped one with some fields changed. */
function settingsFile(changes: Partial<Settings>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'parkflow-fc-')), 'config.json');
  writeFileSync(file, JSON.stringify({ ...SETTINGS, ...changes }));
  return file;
}

async function deploy(fc: { url: string }, args: string[] = [], env = deployEnv(fc)) {
  const lines: string[] = [];
  const io = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(`error: ${l}`) };
  const code = await main(args, env, io);
  return { code, output: lines.join('\n') };
}

const writes = <R extends { method: string }>(fc: { requests: R[] }) => fc.requests.filter((r) => r.method !== 'GET');
const API = '/2016-08-15/services';
/** What EventBridge's service-linked roles are for: invoking FC, reading MNS. */
const EVENTBRIDGE_SERVICES = ['sendevent-fc.eventbridge.aliyuncs.com', 'sendevent-mns.eventbridge.aliyuncs.com'];
/** The EventBridge trigger from a function's MNS queue, with `queueTriggers: {batchSize: 10}`, as both APIs take it. */
const queueTriggerConfig = (fn: string) => ({
  eventSourceConfig: {
    eventSourceType: 'MNS',
    eventSourceParameters: { sourceMNSParameters: { QueueName: `parkflow-${fn}` } },
  },
  runOptions: {
    batchWindow: { CountBasedWindow: 10 },
    deadLetterQueue: { Arn: `acs:mns:cn-hangzhou:${ACCOUNT}:/queues/parkflow-dlq` },
  },
});
/** The FC 2.0 deploy: `--generation 2`. */
const deploy2 = (fc: FcApi, args: string[] = [], env = deployEnv(fc)) =>
  deploy(fc, ['--generation', '2', ...args], env);

describe('crc64', () => {
  it('is CRC-64/ECMA-182 as Alibaba Cloud reports it (the standard check value)', () => {
    expect(crc64(Buffer.from('123456789'))).toBe(0x995dc9bbdf1939fan.toString());
  });
});

describe('the deploy-time SDKs', () => {
  it('stay out of the bundles', () => {
    for (const fn of FUNCTIONS) {
      const bundle = readFileSync(join(ROOT, 'dist', fn, 'index.js'), 'utf8');
      // The bundles sign their one FC 3.0 call themselves (queue mode); the SDK and its OpenAPI core stay out.
      expect(bundle.match(/fc20230330|openapi-core|darabonba/)?.[0]).toBeUndefined();
    }
  });
});

describe('FC deploy settings', () => {
  const file = CONFIG_FILE;

  it('names every missing variable at once', () => {
    expect(() => loadDeployConfig(file, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.abc', TOP_APP_KEY: ' ' })).toThrow(
      /ALIBABA_CLOUD_ACCOUNT_ID is not set[\s\S]*ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set[\s\S]*TOP_APP_KEY is not set[\s\S]*TOP_APP_SECRET is not set[\s\S]*ALIBABA_CLOUD_SECURITY_TOKEN is not set: an STS AccessKey needs its security token/,
    );
  });

  it('refuses a secret in the checked-in file, and wrong fields by name', () => {
    const bad = settingsFile({ memorySize: 100, environment: { TOP_APP_SECRET: 'x' } });
    const env = { ALIBABA_CLOUD_ACCOUNT_ID: ACCOUNT, ALIBABA_CLOUD_ACCESS_KEY_ID: 'k' };
    expect(() => loadDeployConfig(bad, env)).toThrow(/memorySize must be a whole number from 128 to 3072/);
    expect(() => loadDeployConfig(bad, env)).toThrow(
      /environment\.TOP_APP_SECRET is a secret: set it in the environment of the deploy/,
    );
  });

  it('takes the region from ALIBABA_CLOUD_REGION_ID over the file', () => {
    const env = {
      ALIBABA_CLOUD_ACCOUNT_ID: ACCOUNT,
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.abc',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 's',
      ALIBABA_CLOUD_SECURITY_TOKEN: 't',
      ALIBABA_CLOUD_REGION_ID: 'cn-shanghai',
      TOP_APP_KEY: 'k',
      TOP_APP_SECRET: 's',
    };
    expect(loadDeployConfig(file, env).region).toBe('cn-shanghai');
  });
});

describe('npm run deploy:aliyun -- --generation 2, against a stand-in FC 2.0 API', () => {
  let fc: FcApi;
  beforeEach(async () => {
    fc = await startFcApi({ accountId: ACCOUNT, ...KEYS });
  });
  afterEach(() => fc.close());

  it('--dry-run prints the plan and only reads', async () => {
    const { code, output } = await deploy2(fc, ['--dry-run']);
    expect(code).toBe(0);
    expect(output).toContain('+ service parkflow');
    for (const fn of FUNCTIONS) {
      expect(output).toContain(`+ function parkflow/${fn}`);
      expect(output).toContain(`+ trigger parkflow/${fn}/http`);
      expect(output).toContain(`+ async invocation parkflow/${fn}`);
    }
    expect(output).toContain('Dry run: nothing was changed.');
    expect(writes(fc)).toEqual([]);
    expect(fc.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${API}/parkflow`]);
  });

  it('creates the service, the functions from the zips, their HTTP triggers and async configs, all signed', async () => {
    const { code, output } = await deploy2(fc);
    expect(code, output).toBe(0);
    expect(fc.rejected).toEqual([]);
    for (const r of fc.requests) expect(r.headers.authorization).toMatch(/^FC LTAI-test-key:[A-Za-z0-9+/]{43}=$/);

    const [service, ...rest] = writes(fc);
    expect(service).toMatchObject({
      method: 'POST',
      path: API,
      body: { serviceName: 'parkflow', role: `acs:ram::${ACCOUNT}:role/${SETTINGS.role}`, internetAccess: true },
    });
    expect(rest).toHaveLength(FUNCTIONS.length * 3);
    for (const fn of FUNCTIONS) {
      const create = rest.find((r) => r.path === `${API}/parkflow/functions` && r.body.functionName === fn);
      expect(create?.body).toMatchObject({
        runtime: 'nodejs20',
        handler: 'index.handler',
        memorySize: SETTINGS.memorySize,
        timeout: SETTINGS.timeout,
        environmentVariables: {
          ...SETTINGS.environment,
          TOP_APP_KEY: '12345678',
          TOP_APP_SECRET: TOP_SECRET,
          DEAD_LETTER_MNS_URL: `https://${ACCOUNT}.mns.cn-hangzhou.aliyuncs.com/queues/parkflow-dlq`,
        },
      });
      expect(Buffer.from(create?.body.code.zipFile, 'base64').equals(readFileSync(artifactPath(fn)))).toBe(true);
      expect(rest).toContainEqual(
        expect.objectContaining({
          method: 'POST',
          path: `${API}/parkflow/functions/${fn}/triggers`,
          body: {
            triggerName: 'http',
            triggerType: 'http',
            triggerConfig: { authType: 'anonymous', methods: ['POST'] },
          },
        }),
      );
      expect(rest).toContainEqual(
        expect.objectContaining({
          method: 'PUT',
          path: `${API}/parkflow/functions/${fn}/async-invoke-config`,
          body: {
            maxAsyncRetryAttempts: SETTINGS.asyncInvocation.maxRetries,
            maxAsyncEventAgeInSeconds: SETTINGS.asyncInvocation.maxEventAgeSeconds,
            destinationConfig: {
              onFailure: { destination: `acs:mns:cn-hangzhou:${ACCOUNT}:/queues/parkflow-dlq/messages` },
            },
          },
        }),
      );
      expect(output).toContain(`parkflow/${fn}/http: POST https://${fn}-parkflow-x1y2z3.cn-hangzhou.fcapp.run`);
    }
    expect(output).not.toContain(TOP_SECRET);
  });

  it('changes nothing when run again', async () => {
    expect((await deploy2(fc)).code).toBe(0);
    const before = fc.requests.length;
    const { code, output } = await deploy2(fc);
    expect(code).toBe(0);
    const second = fc.requests.slice(before);
    expect(second.every((r) => r.method === 'GET')).toBe(true);
    expect(second).toHaveLength(1 + FUNCTIONS.length * 3);
    expect(output).toContain(`0 to create, 0 to update, ${1 + FUNCTIONS.length * 3} unchanged.`);
    expect(fc.rejected).toEqual([]);
  });

  it('updates only what changed, and uploads the code only when its checksum differs', async () => {
    await deploy2(fc);
    const arrive = fc.functions.get('parkflow/arrive') as Record<string, unknown>;
    fc.functions.set('parkflow/arrive', { ...arrive, codeChecksum: '1' });
    const before = fc.requests.length;
    const { output } = await deploy2(fc, ['--config', settingsFile({ memorySize: 512 })]);
    const changed = writes({ ...fc, requests: fc.requests.slice(before) });
    expect(changed.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      FUNCTIONS.map((fn) => `PUT ${API}/parkflow/functions/${fn}`).sort(),
    );
    for (const r of changed) expect(r.body.memorySize).toBe(512);
    expect(changed.filter((r) => r.body.code).map((r) => r.path)).toEqual([`${API}/parkflow/functions/arrive`]);
    expect(output).toContain('~ function parkflow/arrive (memorySize, codeChecksum)');
    expect(output).toContain('~ function parkflow/leave (memorySize)');
  });

  it('adds EventBridge triggers from each function’s MNS queue when queueTriggers is set', async () => {
    const file = settingsFile({ queueTriggers: { batchSize: 10 } });
    const ram = await startFc3Api(KEYS);
    const env = deployEnv(fc, { RESOURCE_MANAGER_ENDPOINT: ram.url });
    expect((await deploy2(fc, ['--config', file], env)).code).toBe(0);
    expect([...ram.roles].sort()).toEqual(EVENTBRIDGE_SERVICES);
    for (const fn of FUNCTIONS) {
      const trigger = writes(fc).find((r) => r.path.endsWith(`/${fn}/triggers`) && r.body.triggerName === 'queue');
      expect(trigger?.body).toMatchObject({ triggerType: 'eventbridge', triggerConfig: queueTriggerConfig(fn) });
    }
    expect((await deploy2(fc, ['--config', file], env)).output).toContain(`${3 + FUNCTIONS.length * 4} unchanged.`);
    await ram.close();
  });

  it('signs STS requests with the security token', async () => {
    await fc.close();
    fc = await startFcApi({ accountId: ACCOUNT, ...KEYS, accessKeyId: 'STS.test', securityToken: 'sts-token' });
    const env = deployEnv(fc, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.test', ALIBABA_CLOUD_SECURITY_TOKEN: 'sts-token' });
    expect((await deploy2(fc, [], env)).code).toBe(0);
    expect(fc.rejected).toEqual([]);
  });

  it('reports FC refusing the credentials, without the secrets', async () => {
    const { code, output } = await deploy2(fc, [], deployEnv(fc, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret' }));
    expect(code).toBe(1);
    expect(output).toMatch(/error: The deploy failed: GET \/services\/parkflow failed with 403/);
    expect(output).not.toContain('wrong-secret');
  });
});

describe('npm run deploy:aliyun (FC 3.0, the default), against a stand-in FC 3.0 API', () => {
  let fc: Fc3Api;
  beforeEach(async () => {
    fc = await startFc3Api(KEYS);
  });
  afterEach(() => fc.close());
  const FN_API = '/2023-03-30/functions';
  const actions = (requests: Fc3Api['requests']) => requests.map((r) => `${r.action} ${r.method} ${r.path}`);

  it('--dry-run prints the plan and only reads', async () => {
    const { code, output } = await deploy(fc, ['--dry-run']);
    expect(code, output).toBe(0);
    expect(output).toContain(`Function Compute 3.0 cn-hangzhou, account ${ACCOUNT}:`);
    for (const fn of FUNCTIONS) {
      expect(output).toContain(
        `+ function parkflow-${fn}\n+ trigger parkflow-${fn}/http\n+ async invocation parkflow-${fn}`,
      );
    }
    expect(output).toContain(`${FUNCTIONS.length * 3} to create, 0 to update, 0 unchanged.`);
    expect(output).toContain('Dry run: nothing was changed.');
    expect(actions(fc.requests).sort()).toEqual(
      FUNCTIONS.map((fn) => `GetFunction GET ${FN_API}/parkflow-${fn}`).sort(),
    );
    expect(fc.rejected).toEqual([]);
  });

  it('creates the functions from the zips, their HTTP triggers and async configs, each request V3-signed', async () => {
    const { code, output } = await deploy(fc);
    expect(code, output).toBe(0);
    expect(fc.rejected).toEqual([]);
    for (const r of fc.requests) {
      expect(r.headers.authorization).toMatch(
        /^ACS3-HMAC-SHA256 Credential=LTAI-test-key,SignedHeaders=[a-z0-9;-]+,Signature=[0-9a-f]{64}$/,
      );
      expect(r.headers['x-acs-version']).toBe('2023-03-30');
    }
    const created = writes(fc);
    expect(created).toHaveLength(FUNCTIONS.length * 3);
    for (const fn of FUNCTIONS) {
      const name = `parkflow-${fn}`;
      const create = created.find((r) => r.action === 'CreateFunction' && r.body.functionName === name);
      expect(create).toMatchObject({ method: 'POST', path: FN_API });
      expect(create?.body).toEqual({
        functionName: name,
        description: `parkflow ${fn}`,
        runtime: RUNTIME,
        handler: HANDLER,
        memorySize: SETTINGS.memorySize,
        timeout: SETTINGS.timeout,
        internetAccess: true,
        role: `acs:ram::${ACCOUNT}:role/${SETTINGS.role}`,
        environmentVariables: {
          ...SETTINGS.environment,
          TOP_APP_KEY: '12345678',
          TOP_APP_SECRET: TOP_SECRET,
          DEAD_LETTER_MNS_URL: `https://${ACCOUNT}.mns.cn-hangzhou.aliyuncs.com/queues/parkflow-dlq`,
        },
        code: { zipFile: readFileSync(artifactPath(fn)).toString('base64') },
      });
      expect(created).toContainEqual(
        expect.objectContaining({
          action: 'CreateTrigger',
          path: `${FN_API}/${name}/triggers`,
          // FC 3.0 takes a trigger's config as JSON text.
          body: {
            triggerName: 'http',
            triggerType: 'http',
            triggerConfig: JSON.stringify({ authType: 'anonymous', methods: ['POST'] }),
            qualifier: 'LATEST',
          },
        }),
      );
      expect(created).toContainEqual(
        expect.objectContaining({
          action: 'PutAsyncInvokeConfig',
          method: 'PUT',
          path: `${FN_API}/${name}/async-invoke-config`,
          query: { qualifier: 'LATEST' },
          body: {
            maxAsyncRetryAttempts: SETTINGS.asyncInvocation.maxRetries,
            maxAsyncEventAgeInSeconds: SETTINGS.asyncInvocation.maxEventAgeSeconds,
            destinationConfig: {
              onFailure: { destination: `acs:mns:cn-hangzhou:${ACCOUNT}:/queues/parkflow-dlq/messages` },
            },
          },
        }),
      );
      expect(output).toContain(`${name}/http: POST https://${name}-x1y2z3.cn-hangzhou.fcapp.run`);
    }
    // No EventBridge trigger, so no service-linked role is looked at.
    expect(fc.requests.filter((r) => r.path === '/')).toEqual([]);
    expect(output).not.toContain(TOP_SECRET);
  });

  it('changes nothing when run again', async () => {
    expect((await deploy(fc)).code).toBe(0);
    const before = fc.requests.length;
    const { code, output } = await deploy(fc);
    expect(code, output).toBe(0);
    const second = fc.requests.slice(before);
    expect(second.every((r) => r.method === 'GET')).toBe(true);
    expect(second).toHaveLength(FUNCTIONS.length * 3);
    expect(output).toContain(`0 to create, 0 to update, ${FUNCTIONS.length * 3} unchanged.`);
    expect(fc.rejected).toEqual([]);
  });

  it('updates only what changed, and uploads the code only when its checksum differs', async () => {
    await deploy(fc);
    fc.functions.set('parkflow-arrive', { ...fc.functions.get('parkflow-arrive'), codeChecksum: '1' });
    const before = fc.requests.length;
    const { output } = await deploy(fc, ['--config', settingsFile({ memorySize: 512 })]);
    const changed = writes({ requests: fc.requests.slice(before) });
    expect(actions(changed).sort()).toEqual(
      FUNCTIONS.map((fn) => `UpdateFunction PUT ${FN_API}/parkflow-${fn}`).sort(),
    );
    for (const r of changed) expect(r.body.memorySize).toBe(512);
    expect(changed.filter((r) => r.body.code).map((r) => r.path)).toEqual([`${FN_API}/parkflow-arrive`]);
    expect(output).toContain('~ function parkflow-arrive (memorySize, codeChecksum)');
    expect(output).toContain('~ function parkflow-leave (memorySize)');
    expect(fc.rejected).toEqual([]);
  });

  it('with queueTriggers, creates EventBridge’s service-linked roles first, then a trigger per MNS queue', async () => {
    const file = settingsFile({ queueTriggers: { batchSize: 10 } });
    const { code, output } = await deploy(fc, ['--config', file]);
    expect(code, output).toBe(0);
    expect(fc.rejected).toEqual([]);
    const roleCalls = fc.requests.filter((r) => r.path === '/');
    expect(roleCalls.map((r) => `${r.action} ${r.method} ${r.query.ServiceName}`).sort()).toEqual(
      EVENTBRIDGE_SERVICES.flatMap((s) => [
        `CheckServiceLinkedRoleExistence GET ${s}`,
        `CreateServiceLinkedRole POST ${s}`,
      ]).sort(),
    );
    for (const r of roleCalls) expect(r.headers['x-acs-version']).toBe('2020-03-31');
    expect(output.indexOf('created service-linked role AliyunServiceRoleForEventBridgeSendToFC')).toBeLessThan(
      output.indexOf('created trigger parkflow-arrive/queue'),
    );
    for (const fn of FUNCTIONS) {
      const trigger = writes(fc).find(
        (r) => r.action === 'CreateTrigger' && r.body.triggerName === 'queue' && r.path.includes(`/parkflow-${fn}/`),
      );
      expect(trigger?.body.triggerType).toBe('eventbridge');
      expect(JSON.parse(trigger?.body.triggerConfig)).toMatchObject(queueTriggerConfig(fn));
    }
    const again = await deploy(fc, ['--config', file]);
    expect(again.output).toContain(`0 to create, 0 to update, ${2 + FUNCTIONS.length * 4} unchanged.`);
  });

  it('leaves existing service-linked roles alone', async () => {
    await fc.close();
    fc = await startFc3Api({ ...KEYS, roles: EVENTBRIDGE_SERVICES });
    const { code, output } = await deploy(fc, ['--config', settingsFile({ queueTriggers: { batchSize: 10 } })]);
    expect(code, output).toBe(0);
    expect(output).toContain('= service-linked role AliyunServiceRoleForEventBridgeSendToMNS');
    expect(fc.requests.filter((r) => r.action === 'CreateServiceLinkedRole')).toEqual([]);
  });

  it('says what to enable when the roles cannot be checked or made, and changes nothing', async () => {
    await fc.close();
    fc = await startFc3Api({ ...KEYS, rolesDenied: true });
    const { code, output } = await deploy(fc, ['--config', settingsFile({ queueTriggers: { batchSize: 10 } })]);
    expect(code).toBe(1);
    const lines = output.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^error: The deploy failed: Cannot check or create the service-linked role AliyunServiceRoleForEventBridgeSendTo(FC|MNS), which the EventBridge queue triggers need \(.*You are not authorized.*\)\. Activate EventBridge \(https:\/\/eventbridge\.console\.aliyun\.com\), then let the deploy call ram:CreateServiceLinkedRole/,
    );
    expect(writes(fc)).toEqual([]);
  });

  it('signs STS requests with the security token', async () => {
    await fc.close();
    fc = await startFc3Api({ ...KEYS, accessKeyId: 'STS.test', securityToken: 'sts-token' });
    const env = deployEnv(fc, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.test', ALIBABA_CLOUD_SECURITY_TOKEN: 'sts-token' });
    const { code, output } = await deploy(fc, ['--config', settingsFile({ queueTriggers: { batchSize: 1 } })], env);
    expect(code, output).toBe(0);
    expect(fc.rejected).toEqual([]);
  });

  it('reports FC refusing the credentials in one line, without the secrets', async () => {
    const { code, output } = await deploy(fc, [], deployEnv(fc, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret' }));
    expect(code).toBe(1);
    expect(output.split('\n').at(-1)).toMatch(
      /^error: The deploy failed: SignatureDoesNotMatch: code: 403, the signature does not match request id: req-\d+$/,
    );
    expect(output).not.toContain('wrong-secret');
  });

  it('names the host and the setting to fix when the API cannot be reached', async () => {
    const { url } = fc;
    await fc.close();
    const { code, output } = await deploy({ url }, []);
    expect(code).toBe(1);
    expect(output.split('\n').at(-1)).toBe(
      `error: The deploy failed: cannot reach ${new URL(url).host} (ECONNREFUSED): check FC_ENDPOINT.`,
    );
    fc = await startFc3Api(KEYS);
  });

  it('answers an unknown option with the usage, and FC 2.0 being unreachable with its host', async () => {
    expect(await deploy(fc, ['--bogus'])).toEqual({
      code: 1,
      output: expect.stringMatching(
        /^error: Unknown option '--bogus'.*Usage: npm run deploy:aliyun -- \[--dry-run\] \[--config <file>\] \[--generation 2\|3\]$/,
      ),
    });
    const closed = await startFcApi({ accountId: ACCOUNT, ...KEYS });
    await closed.close();
    const { code, output } = await deploy(closed, ['--generation', '2']);
    expect(code).toBe(1);
    expect(output.split('\n').at(-1)).toBe(
      `error: The deploy failed: cannot reach ${new URL(closed.url).host} (ECONNREFUSED): check FC_ENDPOINT.`,
    );
  });

  it('takes the generation from the file, and refuses an unknown one', async () => {
    const fc2Api = await startFcApi({ accountId: ACCOUNT, ...KEYS });
    const { output } = await deploy(fc2Api, ['--dry-run', '--config', settingsFile({ generation: 2 })]);
    expect(output).toContain(`Function Compute 2.0 cn-hangzhou, account ${ACCOUNT}:`);
    expect(output).toContain('+ service parkflow');
    await fc2Api.close();
    const wrong = await deploy(fc, ['--generation', '1']);
    expect(wrong).toEqual({
      code: 1,
      output: 'error: The FC deploy is not configured:\n  --generation must be 2 or 3 (the FC generation)',
    });
  });

  it('runs as a command: tsx deploy/aliyun/main.ts --dry-run', async () => {
    const run = promisify(execFile);
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const { stdout } = await run(tsx, ['deploy/aliyun/main.ts', '--dry-run'], {
      cwd: ROOT,
      env: { ...deployEnv(fc), PATH: process.env.PATH },
    });
    expect(stdout).toContain('+ function parkflow-arrive');
    const failed = await run(tsx, ['deploy/aliyun/main.ts'], { cwd: ROOT, env: { PATH: process.env.PATH } }).catch(
      (e) => e,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('ALIBABA_CLOUD_ACCOUNT_ID is not set');
  });
});

describe('s.yaml (Serverless Devs, fc3)', () => {
  const s = parse(readFileSync(join(ROOT, 's.yaml'), 'utf8'), { merge: true });

  it('deploys the same functions with the same settings as the FC deploy', () => {
    expect(Object.keys(s.resources).sort()).toEqual(FUNCTIONS);
    for (const fn of FUNCTIONS) {
      const { component, props } = s.resources[fn];
      expect(component).toBe('fc3');
      expect(props).toMatchObject({
        functionName: `${SETTINGS.service}-${fn}`,
        runtime: RUNTIME,
        handler: HANDLER,
        code: `./dist/${fn}.zip`,
        memorySize: SETTINGS.memorySize,
        timeout: SETTINGS.timeout,
        role: expect.stringMatching(new RegExp(`:role/${SETTINGS.role}$`)),
        environmentVariables: SETTINGS.environment,
        asyncInvokeConfig: {
          maxAsyncRetryAttempts: SETTINGS.asyncInvocation.maxRetries,
          maxAsyncEventAgeInSeconds: SETTINGS.asyncInvocation.maxEventAgeSeconds,
          destinationConfig: {
            onFailure: {
              destination: expect.stringMatching(`:/queues/${SETTINGS.asyncInvocation.deadLetterQueue}/messages$`),
            },
          },
        },
        triggers: [
          {
            triggerName: 'http',
            triggerType: 'http',
            triggerConfig: { authType: SETTINGS.http.authType, methods: ['POST'] },
          },
        ],
      });
      expect(Object.keys(props.environmentVariables).sort()).toEqual(
        [...Object.keys(SETTINGS.environment), 'TOP_APP_KEY', 'TOP_APP_SECRET', 'DEAD_LETTER_MNS_URL'].sort(),
      );
      expect(props.environmentVariables.TOP_APP_SECRET).toMatch(/^\$\{env\('TOP_APP_SECRET'\)\}$/);
    }
  });

  it('names and sets up each function as npm run deploy:aliyun creates it on FC 3.0', async () => {
    const fc = await startFc3Api(KEYS);
    expect((await deploy(fc)).code).toBe(0);
    // Serverless Devs fills in these variables at deploy time.
    const account = (text: string) =>
      text.replace(/\$\{config\('AccountID'\)\}/g, ACCOUNT).replace(/\$\{vars\.region\}/g, 'cn-hangzhou');
    for (const fn of FUNCTIONS) {
      const { functionName, code, triggers, asyncInvokeConfig, environmentVariables, ...props } = s.resources[fn].props;
      const made = writes(fc).filter((r) => r.path.startsWith(`/2023-03-30/functions/${functionName}/`));
      const created = writes(fc).find((r) => r.action === 'CreateFunction' && r.body.functionName === functionName);
      expect(created, `no function ${functionName}`).toBeDefined();
      const { region, role, ...settings } = props;
      expect(account(region)).toBe('cn-hangzhou');
      expect(created?.body).toMatchObject({ ...settings, role: account(role) });
      expect(Object.keys(created?.body.environmentVariables).sort()).toEqual(Object.keys(environmentVariables).sort());
      expect(
        made
          .filter((r) => r.action === 'CreateTrigger')
          .map((r) => ({ ...r.body, triggerConfig: JSON.parse(r.body.triggerConfig) })),
      ).toEqual(triggers.map((t: object) => ({ ...t, qualifier: 'LATEST' })));
      const put = made.find((r) => r.action === 'PutAsyncInvokeConfig');
      const { destination } = asyncInvokeConfig.destinationConfig.onFailure;
      expect(put?.body).toEqual({
        ...asyncInvokeConfig,
        destinationConfig: { onFailure: { destination: account(destination) } },
      });
    }
    await fc.close();
  });
});
