import { beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../dev/sandbox/index.js';
import { RedisConnectionError, RedisReplyError, RespClient } from '../shared/idempotency/resp.js';
import { coldStart, invokeHttp } from './support/bundles.js';
import { apigwHttp, awsContext, fcContext } from './support/events.js';
import { eventBridgeEvent, validEvent } from './support/queue-events.js';
import { acceptedPerPlate, queueEnv } from './support/queue-setup.js';
import { type RedisServer, redisAndSandbox, startRedis } from './support/redis.js';

const started = redisAndSandbox();
let redis: RedisServer;
let sandbox: Sandbox;
beforeEach(() => {
  redis = started.redis();
  sandbox = started.sandbox();
});

describe('the RESP client against redis-server', () => {
  it('speaks the commands the store needs, with replies split across packets', async () => {
    const client = new RespClient(redis.url);
    const big = '停车'.repeat(50_000);
    const replies = await Promise.all([
      client.command(['SET', 'k', big, 'NX', 'PX', '10000'], 1_000),
      client.command(['SET', 'k', 'other', 'NX', 'PX', '10000'], 1_000),
      client.command(['GET', 'k'], 1_000),
      client.command(['GET', 'missing'], 1_000),
      client.command(['EVAL', 'return {1, "two", redis.call("PTTL", KEYS[1]) > 0}', '1', 'k'], 1_000),
    ]);
    expect(replies).toEqual(['OK', null, big, null, [1, 'two', 1]]);
    await expect(client.command(['NOSUCHCOMMAND'], 1_000)).rejects.toBeInstanceOf(RedisReplyError);
    expect(await client.command(['GET', 'missing'], 1_000)).toBeNull();
    client.close();
  });

  it('authenticates and selects the database from the URL', async () => {
    const secured = await startRedis({ password: 'p@ss word' });
    try {
      const client = new RespClient(`${secured.url}/2`);
      await client.command(['SET', 'in-db-2', 'yes'], 1_000);
      const other = new RespClient(secured.url);
      expect(await other.command(['GET', 'in-db-2'], 1_000)).toBeNull();
      const wrong = new RespClient(`redis://:wrong@127.0.0.1:${secured.port}`);
      // The reason reaches the caller instead of the NOAUTH behind it; the password never does.
      const refused = await wrong.command(['GET', 'x'], 1_000).catch((err: Error) => err);
      expect(refused).toBeInstanceOf(RedisConnectionError);
      expect((refused as Error).message).toBe('Redis refused the password (WRONGPASS)');
      const noDb = new RespClient(`${secured.url}/99`);
      await expect(noDb.command(['GET', 'x'], 1_000)).rejects.toThrow(/^Redis refused database 99 \(ERR /);
      for (const c of [client, other, wrong, noDb]) c.close();
    } finally {
      await secured.close();
    }
  });

  it('fails fast when nothing listens, and reconnects once the server is back', async () => {
    const client = new RespClient(redis.url);
    await redis.stop();
    await expect(client.command(['PING'], 1_000)).rejects.toThrow(
      new RedisConnectionError('Redis connection failed: connection refused'),
    );
    await redis.start();
    expect(await client.command(['PING'], 1_000)).toBe('PONG');
    client.close();
  });
});

describe('functions sharing the Redis store', () => {
  const env = () => queueEnv(sandbox, { IDEMPOTENCY_REDIS_URL: redis.url });

  it('two instances racing on one event: one sends, the other does not', async () => {
    sandbox.addFault({ kind: 'slow', delayMs: 300 });
    const a = coldStart('arrive', env());
    const b = coldStart('arrive', env());
    const [ra, rb] = await Promise.all([
      invokeHttp(a, apigwHttp(validEvent('arrive', 1)), awsContext()),
      invokeHttp(b, apigwHttp(validEvent('arrive', 1)), awsContext()),
    ]);
    expect([ra.statusCode, rb.statusCode].sort()).toEqual([200, 503]);
    expect(sandbox.calls).toHaveLength(1);
    // A third instance (a cold start elsewhere) is answered from the store.
    const c = coldStart('arrive', env());
    const rc = await invokeHttp(c, apigwHttp(validEvent('arrive', 1)), awsContext());
    expect(rc.json).toMatchObject({ ok: true, duplicate: true });
    expect(sandbox.calls).toHaveLength(1);
  });

  it('Redis restarting mid-run: events meanwhile are transient and not sent; nothing is sent twice', async () => {
    const handler = coldStart('arrive', env());
    const batch = (ns: number[]) =>
      eventBridgeEvent(
        'mns',
        ns.map((n) => validEvent('arrive', n)),
        { batch: true },
      );
    expect(await handler(batch([1, 2]), fcContext())).toMatchObject({ ok: true, delivered: 2 });
    await redis.stop();
    await expect(handler(batch([1, 2, 3]), fcContext())).rejects.toThrow(/3 of 3 records are not done/);
    const http = await invokeHttp(handler, apigwHttp(validEvent('arrive', 4)), awsContext());
    expect(http.statusCode).toBe(503);
    expect(http.json.error.code).toBe('idempotency_unavailable');
    expect(sandbox.calls).toHaveLength(2);
    await redis.start();
    expect(await handler(batch([1, 2, 3, 4]), fcContext())).toMatchObject({ ok: true, delivered: 4, duplicates: 2 });
    expect(sandbox.calls).toHaveLength(4);
    expect([...acceptedPerPlate(sandbox).values()]).toEqual([1, 1, 1, 1]);
  });
});
