import { describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config.js';
import { runtimeOf } from '../shared/runtime/pick.js';
import { awsContext, fcContext } from './support/events.js';

const NOW = 1_700_000_000_000;
const settings = (env: Record<string, string> = {}) => loadConfig({ TOP_APP_KEY: 'k', TOP_APP_SECRET: 's', ...env });

describe('the runtime adapter, picked once from the context', () => {
  it('AWS: the request id, and the time left less a tenth of it, at most a second', () => {
    const runtime = runtimeOf({ ...awsContext(), getRemainingTimeInMillis: () => 5_000 }, NOW);
    expect(runtime).toMatchObject({ platform: 'aws', requestId: 'aws-req-1', deadline: NOW + 5_000 - 500 });
    expect(runtimeOf({ ...awsContext(), getRemainingTimeInMillis: () => 60_000 }, NOW).deadline).toBe(
      NOW + 60_000 - 1_000,
    );
  });

  it("FC: the request id, and the function's timeout from now", () => {
    const runtime = runtimeOf(fcContext(10), NOW);
    expect(runtime).toMatchObject({ platform: 'fc', requestId: fcContext().requestId, deadline: NOW + 10_000 - 1_000 });
  });

  it('no platform context: local, with 30 seconds', () => {
    for (const context of [undefined, null, {}, { requestId: 'r-1' }]) {
      expect(runtimeOf(context, NOW)).toMatchObject({ platform: 'local', deadline: NOW + 30_000 - 1_000 });
    }
    expect(runtimeOf({ requestId: 'r-1' }, NOW).requestId).toBe('r-1');
  });

  it('dead letters go to SQS on AWS and to MNS on FC, each only when its destination is set', () => {
    const both = settings({
      DEAD_LETTER_SQS_URL: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/parkflow-dlq',
      DEAD_LETTER_MNS_URL: 'https://123456.mns.cn-hangzhou.aliyuncs.com/queues/parkflow-dlq',
    });
    expect(runtimeOf(awsContext()).deadLetters(both)).toBeTypeOf('function');
    expect(runtimeOf(fcContext()).deadLetters(both)).toBeTypeOf('function');
    expect(runtimeOf(awsContext()).deadLetters(settings())).toBeUndefined();
    expect(runtimeOf(fcContext()).deadLetters(settings())).toBeUndefined();
  });

  it('queue mode on AWS without DELIVERY_QUEUE_URL names the variable; on FC without credentials, says what the context lacks', async () => {
    await expect(
      runtimeOf(awsContext()).enqueue(settings({ DELIVERY_MODE: 'queue' }), '{}', 'key', 1_000),
    ).rejects.toThrow(/DELIVERY_QUEUE_URL is not set/);
    const { credentials: _, ...bare } = fcContext();
    await expect(runtimeOf(bare).enqueue(settings({ DELIVERY_MODE: 'queue' }), '{}', 'key', 1_000)).rejects.toThrow(
      /lacks accountId, region, credentials or function.name/,
    );
  });
});
