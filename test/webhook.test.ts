// Standard Webhooks signatures: the verifier, the settings, and the real bundles behind them.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../shared/config.js';
import { newSecret } from '../shared/webhook/secrets.js';
import { verifyWebhook, webhookSignature } from '../shared/webhook/signature.js';
import { invokeHttp } from './support/bundles.js';
import { apigwHttp, awsContext, fcContext, fcHttp } from './support/events.js';
import { captureLogs } from './support/output.js';
import { sqsEvent } from './support/queue-events.js';
import { arriveAgainstSandbox, keysOf, OTHER_SECRET, SECRET, signed } from './support/webhook.js';

const SPEC = {
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  body: Buffer.from('{"test": 2432232314}'),
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const SPEC_NOW = Number(SPEC.timestamp) * 1000;
const specHeaders = (overrides: Record<string, string | undefined> = {}) => ({
  'webhook-id': SPEC.id,
  'webhook-timestamp': SPEC.timestamp,
  'webhook-signature': SPEC.signature,
  ...overrides,
});

describe('the verifier', () => {
  const keys = keysOf(SECRET);

  it("signs the specification's example as the specification does, and accepts it", () => {
    expect(webhookSignature(keys[0] as Buffer, SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
    expect(verifyWebhook(keys, specHeaders(), SPEC.body, SPEC_NOW)).toEqual({ ok: true });
  });

  it('takes any of several secrets (a rotation) and any of several signatures in the header', () => {
    const both = keysOf(`${OTHER_SECRET}, ${SECRET}`);
    expect(verifyWebhook(both, specHeaders(), SPEC.body, SPEC_NOW).ok).toBe(true);
    const header = `v1a,c29tZXRoaW5nIGVsc2U= v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ${SPEC.signature}`;
    expect(verifyWebhook(keys, specHeaders({ 'webhook-signature': header }), SPEC.body, SPEC_NOW).ok).toBe(true);
    expect(verifyWebhook(keysOf(OTHER_SECRET), specHeaders(), SPEC.body, SPEC_NOW).ok).toBe(false);
  });

  it('takes a timestamp up to 5 minutes off either way, and no more', () => {
    for (const skew of [-300, 300])
      expect(verifyWebhook(keys, specHeaders(), SPEC.body, SPEC_NOW + skew * 1000).ok).toBe(true);
    for (const skew of [-301, 301]) {
      const verdict = verifyWebhook(keys, specHeaders(), SPEC.body, SPEC_NOW + skew * 1000);
      expect(verdict).toEqual({ ok: false, reason: expect.stringMatching(/more than 5 minutes/) });
    }
  });

  const refusals: [string, Record<string, string | undefined>, Buffer, RegExp][] = [
    [
      'no headers',
      { 'webhook-id': undefined, 'webhook-timestamp': undefined, 'webhook-signature': undefined },
      SPEC.body,
      /not signed \(no webhook-id, webhook-timestamp, webhook-signature\)/,
    ],
    ['no signature', { 'webhook-signature': undefined }, SPEC.body, /not signed \(no webhook-signature\)/],
    ['a timestamp in milliseconds', { 'webhook-timestamp': `${SPEC.timestamp}000` }, SPEC.body, /whole seconds/],
    ['a timestamp that is no number', { 'webhook-timestamp': '2021-02-25T15:02:10Z' }, SPEC.body, /whole seconds/],
    ['a signature without v1,', { 'webhook-signature': SPEC.signature.slice(3) }, SPEC.body, /no v1 signature/],
    ['another body', {}, Buffer.from('{"test": 2432232315}'), /No signature in webhook-signature matches/],
    ['another id', { 'webhook-id': 'msg_other' }, SPEC.body, /No signature .* matches/],
    [
      'a truncated signature',
      { 'webhook-signature': SPEC.signature.slice(0, 20) },
      SPEC.body,
      /No signature .* matches/,
    ],
  ];
  for (const [label, headers, body, reason] of refusals) {
    it(`refuses ${label}, saying what to fix and nothing of the secret`, () => {
      const verdict = verifyWebhook(keys, specHeaders(headers), body, SPEC_NOW);
      expect(verdict).toEqual({ ok: false, reason: expect.stringMatching(reason) });
      expect(JSON.stringify(verdict)).not.toContain(SECRET.slice(6));
      expect(JSON.stringify(verdict)).not.toContain(SPEC.signature.slice(3));
    });
  }

  it('accepts what it signs, and nothing with one byte changed (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 24, maxLength: 64 }),
        fc.string({ minLength: 1 }),
        fc.uint8Array(),
        fc.nat(),
        (key, id, bytes, at) => {
          const k = [Buffer.from(key)];
          const body = Buffer.from(bytes);
          const timestamp = String(1_600_000_000 + (at % 100_000_000));
          const now = Number(timestamp) * 1000;
          const headers = {
            'webhook-id': id,
            'webhook-timestamp': timestamp,
            'webhook-signature': webhookSignature(k[0] as Buffer, id, timestamp, body),
          };
          expect(verifyWebhook(k, headers, body, now).ok).toBe(true);
          const changed = Buffer.concat([body, Buffer.from([at % 256])]);
          expect(verifyWebhook(k, headers, changed, now).ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never throws on any headers (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature', 'x'), fc.anything()),
        fc.uint8Array(),
        (headers, body) => {
          expect(verifyWebhook(keysOf(SECRET), headers, Buffer.from(body)).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('WEBHOOK_SECRETS and WEBHOOK_AUTH', () => {
  const base = { TOP_APP_KEY: 'k', TOP_APP_SECRET: 's' };

  it('reads whsec_ secrets separated by commas or spaces', () => {
    const { webhook } = loadConfig({ ...base, WEBHOOK_SECRETS: `${SECRET},${OTHER_SECRET}  ${newSecret()}` });
    expect(webhook.mode === 'signed' && webhook.keys.length).toBe(3);
  });

  it('names a malformed secret by position, never quoting it', () => {
    const bad = 'whsec_c2hvcnQ=';
    expect(() => loadConfig({ ...base, WEBHOOK_SECRETS: `${SECRET} ${bad}` })).toThrow(
      /WEBHOOK_SECRETS: the 2nd secret is not "whsec_"/,
    );
    try {
      loadConfig({ ...base, WEBHOOK_SECRETS: `${SECRET} ${bad}` });
    } catch (err) {
      expect((err as Error).message).not.toContain('c2hvcnQ');
      expect((err as Error).message).not.toContain(SECRET.slice(6));
    }
    expect(() => loadConfig({ ...base, WEBHOOK_SECRETS: SECRET.slice(6) })).toThrow(/1st secret/);
  });

  it('takes unsigned events outside production, refuses them in production unless WEBHOOK_AUTH=off', () => {
    expect(loadConfig(base).webhook.mode).toBe('unsigned');
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).webhook.mode).toBe('refused');
    expect(loadConfig({ ...base, NODE_ENV: 'production', WEBHOOK_AUTH: 'off' }).webhook.mode).toBe('unsigned');
    expect(loadConfig({ ...base, NODE_ENV: 'production', WEBHOOK_SECRETS: SECRET }).webhook.mode).toBe('signed');
  });

  it('refuses a WEBHOOK_AUTH other than off, and off together with secrets', () => {
    expect(() => loadConfig({ ...base, WEBHOOK_AUTH: 'on' })).toThrow(/WEBHOOK_AUTH may only be off/);
    expect(() => loadConfig({ ...base, WEBHOOK_AUTH: 'off', WEBHOOK_SECRETS: SECRET })).toThrow(/unset one of them/);
  });
});

describe('the bundles, signed', () => {
  const bundle = arriveAgainstSandbox();
  const sandbox = () => bundle.sandbox();

  const EVENT = { mall_id: 123, car_no: '浙A12345', start_time: '2026-11-22 10:00:00' };
  const event = (n: number) => ({ ...EVENT, start_time: `2026-11-22 10:${String(n).padStart(2, '0')}:00` });
  const start = (extra: Record<string, string | undefined> = {}) => bundle.start({ WEBHOOK_SECRETS: SECRET, ...extra });

  it('delivers a signed event, whatever the HTTP shape', async () => {
    const handler = start();
    const ok = await invokeHttp(handler, apigwHttp(event(1), { headers: signed(event(1)) }), awsContext());
    expect(ok.statusCode).toBe(200);
    const fcBase64 = fcHttp(event(2), { base64: true, headers: signed(event(2)) });
    expect((await invokeHttp(handler, fcBase64, fcContext())).statusCode).toBe(200);
    expect(sandbox().calls.map((c) => c.signature)).toEqual(['valid', 'valid']);
  });

  const refused: [string, () => Record<string, string>][] = [
    ['no signature', () => ({})],
    ['a signature by another secret', () => signed(EVENT, { secret: OTHER_SECRET })],
    ['a signature of another body', () => signed({ ...EVENT, car_no: '浙B00000' })],
    ['a timestamp 6 minutes old', () => signed(EVENT, { now: Date.now() - 6 * 60_000 })],
  ];
  for (const [label, headers] of refused) {
    it(`answers 401 to ${label}, sends nothing and touches no idempotency store`, async () => {
      // No Redis listens there: a request that reached the store would be a 503.
      const handler = start({ IDEMPOTENCY_REDIS_URL: 'redis://127.0.0.1:9' });
      const res = await invokeHttp(handler, apigwHttp(EVENT, { headers: headers() }), awsContext());
      expect(res.statusCode).toBe(401);
      expect(res.json).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.any(String) } });
      expect(res.body).not.toContain(SECRET.slice(6));
      expect(sandbox().calls).toHaveLength(0);
    });
  }

  it('reaches the store once the signature holds (the 401s above are not luck)', async () => {
    const handler = start({ IDEMPOTENCY_REDIS_URL: 'redis://127.0.0.1:9' });
    const res = await invokeHttp(handler, apigwHttp(EVENT, { headers: signed(EVENT) }), awsContext());
    expect(res.json.error.code).toBe('idempotency_unavailable');
  });

  it('takes the old and the new secret during a rotation', async () => {
    const handler = start({ WEBHOOK_SECRETS: `${SECRET} ${OTHER_SECRET}` });
    for (const [n, secret] of [SECRET, OTHER_SECRET].entries()) {
      const res = await invokeHttp(
        handler,
        apigwHttp(event(n), { headers: signed(event(n), { secret }) }),
        awsContext(),
      );
      expect(res.statusCode).toBe(200);
    }
  });

  it('keys idempotency on the webhook-id too: a retry is a duplicate, a new message is sent again', async () => {
    const handler = start();
    const send = (id: string) =>
      invokeHttp(handler, apigwHttp(EVENT, { headers: signed(EVENT, { id }) }), awsContext());
    expect((await send('msg_1')).json.duplicate).toBeUndefined();
    expect((await send('msg_1')).json.duplicate).toBe(true);
    expect((await send('msg_2')).json.duplicate).toBeUndefined();
    expect(sandbox().calls).toHaveLength(2);
  });

  it('does not ask queue messages for a signature', async () => {
    const handler = start();
    expect(await handler(await sqsEvent([{ body: EVENT }]), awsContext())).toEqual({ batchItemFailures: [] });
    expect(sandbox().calls).toHaveLength(1);
  });

  it('in production without secrets, refuses every HTTP event naming the settings, and still takes queue messages', async () => {
    const handler = start({ WEBHOOK_SECRETS: undefined, NODE_ENV: 'production' });
    const res = await invokeHttp(handler, apigwHttp(EVENT), awsContext());
    expect(res.statusCode).toBe(500);
    expect(res.json.error.code).toBe('config_error');
    expect(res.json.error.message).toMatch(/WEBHOOK_SECRETS is not set.*WEBHOOK_AUTH=off/);
    expect(sandbox().calls).toHaveLength(0);
    expect(await handler(await sqsEvent([{ body: EVENT }]), awsContext())).toEqual({ batchItemFailures: [] });
    const off = start({ WEBHOOK_SECRETS: undefined, NODE_ENV: 'production', WEBHOOK_AUTH: 'off' });
    expect((await invokeHttp(off, apigwHttp(event(3)), awsContext())).statusCode).toBe(200);
  });

  it('says once per instance, loudly, that it takes unsigned events', async () => {
    const logs = captureLogs();
    const unsigned = start({ WEBHOOK_SECRETS: undefined });
    await invokeHttp(unsigned, apigwHttp(event(4)), awsContext());
    await invokeHttp(unsigned, apigwHttp(event(5)), awsContext());
    const warnings = logs.lines('stderr').filter((l) => l.level === 'warn');
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'webhook_auth',
        warning: expect.stringMatching(/WEBHOOK_SECRETS is not set/),
      }),
    ]);
    logs.clear();
    await invokeHttp(start(), apigwHttp(event(6), { headers: signed(event(6)) }), awsContext());
    expect(logs.lines('stderr')).toEqual([]);
    vi.restoreAllMocks();
  });

  it('npm run sign prints headers the function accepts, and a curl that sends them', async () => {
    const body = JSON.stringify(event(7));
    const tsx = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
    const { stdout } = await promisify(execFile)(
      tsx,
      ['scripts/sign.ts', body, '--url', 'http://127.0.0.1:3000/arrive'],
      {
        cwd: join(import.meta.dirname, '..'),
        env: { ...process.env, WEBHOOK_SECRETS: SECRET },
      },
    );
    const headers = Object.fromEntries([...stdout.matchAll(/^(webhook-[a-z]+): (.+)$/gm)].map((m) => [m[1], m[2]]));
    expect(Object.keys(headers)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    expect(stdout).toContain(`curl -X POST 'http://127.0.0.1:3000/arrive'`);
    expect(stdout).toContain(`--data-binary '${body}'`);
    const res = await invokeHttp(start(), apigwHttp(body, { headers }), awsContext());
    expect(res.statusCode).toBe(200);
  });
});
