// The TOP secret read at run time from Secrets Manager (TOP_SECRET_ID), against a local stand-in of
// its API reached through the SDK's own endpoint variable, and the sandbox gateway checking signatures.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SANDBOX_APP_KEY, SANDBOX_APP_SECRET, type Sandbox, startSandbox } from '../dev/sandbox/index.js';
import { coldStart, invokeHttp } from './support/bundles.js';
import { startSecretsManager } from './support/cloud-stand-ins.js';
import { AWS_TEST_SETTINGS } from './support/dynalite.js';
import { apigwHttp, awsContext } from './support/events.js';
import { captureLogs } from './support/output.js';
import { sqsEvent, validEvent } from './support/queue-events.js';
import { queueEnv } from './support/queue-setup.js';
import { SECRET, signed } from './support/webhook.js';

let sandbox: Sandbox;
let sm: Awaited<ReturnType<typeof startSecretsManager>>;
beforeAll(async () => {
  [sandbox, sm] = await Promise.all([startSandbox(), startSecretsManager()]);
});
afterAll(() => Promise.all([sandbox.close(), sm.close()]));
beforeEach(() => {
  sandbox.reset();
  sm.secrets.clear();
  sm.denied.clear();
  sm.requests.length = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
});

const ID = 'parkflow/top';
const CANARY = 'canary-value-of-the-secret';
/** The function's settings on AWS: no TOP secret in them, only the name of the secret that holds it. */
const env = (extra: Record<string, string | undefined> = {}) =>
  queueEnv(sandbox, {
    ...AWS_TEST_SETTINGS,
    TOP_SECRET_ID: ID,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.origin,
    ...(extra as Record<string, string>),
  });
const withoutSecret = { TOP_APP_SECRET: undefined, TOP_APP_KEY: undefined };
const secretOf = (appSecret: string, more: Record<string, string> = {}) =>
  JSON.stringify({ app_key: SANDBOX_APP_KEY, app_secret: appSecret, ...more });
/** Lets the read started as the bundle loads arrive. */
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('TOP_SECRET_ID', () => {
  it('is read once per instance, as the bundle loads, and its values sign and guard the events', async () => {
    sm.secrets.set(ID, secretOf(SANDBOX_APP_SECRET, { webhook_secrets: SECRET }));
    const handler = coldStart('arrive', { ...env(), ...withoutSecret });
    await settle();
    expect(sm.reads()).toBe(1);
    const body = validEvent('arrive', 1);
    const ok = await invokeHttp(handler, apigwHttp(body, { headers: signed(body) }), awsContext());
    expect(ok.statusCode).toBe(200);
    // The webhook secrets came from the secret too: an unsigned event is refused.
    const unsigned = await invokeHttp(handler, apigwHttp(validEvent('arrive', 2)), awsContext());
    expect(unsigned.statusCode).toBe(401);
    expect(sm.reads()).toBe(1);
    expect(sandbox.calls).toHaveLength(1);
  });

  it('is read again when TOP refuses the signature: a rotated secret is picked up, and the event sent with it', async () => {
    sm.secrets.set(ID, secretOf('the-secret-before-rotation'));
    const handler = coldStart('arrive', { ...env(), ...withoutSecret });
    await settle();
    // Rotated: Secrets Manager and TOP now hold the new secret; the instance still has the old one.
    sm.secrets.set(ID, secretOf(SANDBOX_APP_SECRET));
    const first = await invokeHttp(handler, apigwHttp(validEvent('arrive', 1)), awsContext());
    expect(first.statusCode).toBe(200);
    expect(sandbox.calls.map((c) => c.response)).toMatchObject([
      { error_response: { code: 25 } },
      { tmall_popupstore_park_backflow_response: expect.anything() },
    ]);
    expect(sm.reads()).toBe(2);
    // Later events sign with the new secret straight away.
    const second = await invokeHttp(handler, apigwHttp(validEvent('arrive', 2)), awsContext());
    expect(second.statusCode).toBe(200);
    expect(sandbox.calls).toHaveLength(3);
    expect(sm.reads()).toBe(2);
  });

  it('a secret that is simply wrong is read again once, not on every event', async () => {
    sm.secrets.set(ID, secretOf('not-what-top-holds'));
    const handler = coldStart('arrive', { ...env(), ...withoutSecret });
    const answers = [];
    for (const n of [1, 2, 3])
      answers.push((await invokeHttp(handler, apigwHttp(validEvent('arrive', n)), awsContext())).statusCode);
    expect(answers).toEqual([502, 502, 502]);
    expect(sm.reads()).toBe(2);
    expect(sandbox.calls).toHaveLength(3);
  });

  it.each([
    ['missing', () => undefined, /"parkflow\/top", does not exist/],
    ['not readable by the role', () => sm.denied.add(ID), /"parkflow\/top", may not be read.*GetSecretValue/],
    ['not JSON', () => sm.secrets.set(ID, `app_secret=${CANARY}`), /"parkflow\/top", is not a JSON object/],
    ['JSON without app_secret', () => sm.secrets.set(ID, JSON.stringify({ secret: CANARY })), /is not a JSON object/],
  ])('a secret %s is a config_error naming it, never a value; nothing is sent', async (_, arrange, message) => {
    arrange();
    const logs = captureLogs();
    const handler = coldStart('arrive', { ...env(), ...withoutSecret });
    const http = await invokeHttp(handler, apigwHttp(validEvent('arrive', 1)), awsContext());
    expect(http.statusCode).toBe(500);
    expect(http.json.error.code).toBe('config_error');
    expect(http.json.error.message).toMatch(message);
    // A queue's batch fails as a whole and comes back: nothing is lost.
    const event = await sqsEvent([{ body: validEvent('arrive', 2) }]);
    await expect(handler(event, awsContext())).rejects.toThrow(message);
    const lines = logs.lines('stdout').concat(logs.lines('stderr'));
    expect(lines.map((l) => l.error).join('\n')).toMatch(message);
    const logged = JSON.stringify(lines);
    expect(`${http.body}${logged}`).not.toContain(CANARY);
    expect(sandbox.calls).toHaveLength(0);
  });

  it('a failed read is not kept: once the secret exists, the next event reads it and is sent', async () => {
    const logs = captureLogs();
    const handler = coldStart('arrive', { ...env(), ...withoutSecret });
    expect((await invokeHttp(handler, apigwHttp(validEvent('arrive', 1)), awsContext())).statusCode).toBe(500);
    sm.secrets.set(ID, secretOf(SANDBOX_APP_SECRET));
    expect((await invokeHttp(handler, apigwHttp(validEvent('arrive', 1)), awsContext())).statusCode).toBe(200);
    expect(logs.lines('stdout').filter((l) => l.msg === 'event')).toHaveLength(1);
  });

  it('TOP_SECRET_ID and TOP_APP_SECRET together are a config_error', async () => {
    sm.secrets.set(ID, secretOf(SANDBOX_APP_SECRET));
    captureLogs();
    const handler = coldStart('arrive', env({ TOP_APP_SECRET: SANDBOX_APP_SECRET }));
    const http = await invokeHttp(handler, apigwHttp(validEvent('arrive', 1)), awsContext());
    expect(http.json.error).toMatchObject({ code: 'config_error', message: expect.stringMatching(/both set/) });
  });
});
