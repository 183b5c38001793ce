// The event log lines and metrics, and what they (and every answer) never show.
import { describe, expect, it, vi } from 'vitest';
import { SANDBOX_APP_SECRET } from '../dev/sandbox/index.js';
import { personalData, scrubOutcome } from '../shared/mask.js';
import { transient } from '../shared/outcome.js';
import type { Handler } from './support/bundles.js';
import { apigwHttp, awsContext, fcContext, fcHttp } from './support/events.js';
import { sqsEvent } from './support/queue-events.js';
import { arriveAgainstSandbox, SECRET, signed } from './support/webhook.js';

const PLATE = '浙A12345';
const MOBILE = '15988855789';
const EVENT = { mall_id: 123, car_no: PLATE, start_time: '2026-11-22 10:00:00', mobile: MOBILE };
const at = (n: number) => ({ ...EVENT, start_time: `2026-11-22 10:${String(n).padStart(2, '0')}:00` });

const { sandbox: current, start } = arriveAgainstSandbox();

/** Everything the functions print, through console or straight to the process's streams. */
function captureOutput(): () => string {
  const out: string[] = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      out.push(args.map(String).join(' '));
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
      out.push(String(chunk));
      return true;
    });
  }
  return () => out.join('\n');
}

const eventLines = (output: string) =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>)
    .filter((l) => l.msg === 'event');

describe('one line per event outcome', () => {
  it('on AWS: the evidence, masked personal data, and the metrics in Embedded Metric Format', async () => {
    const output = captureOutput();
    await start()(apigwHttp(EVENT), awsContext());
    const [line, ...more] = eventLines(output());
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      level: 'info',
      function: 'arrive',
      trigger: 'apigw-http',
      platform_request_id: 'aws-req-1',
      record_id: 'JKJaXmPLvHcESHA=',
      idempotency_key: expect.stringMatching(/^parkflow:idem:[0-9a-f]{64}$/),
      outcome: 'delivered',
      request_id: expect.any(String),
      attempts: 1,
      latency_ms: expect.any(Number),
      top_latency_ms: expect.any(Number),
      car_no: '浙A****5',
      mobile: '159****5789',
      events: 1,
    });
    expect(JSON.stringify(current().calls[0]?.response)).toContain(line?.request_id);
    expect(line?._aws).toEqual({
      Timestamp: expect.any(Number),
      CloudWatchMetrics: [
        {
          Namespace: 'parkflow',
          Dimensions: [['function', 'outcome'], ['function']],
          Metrics: [
            { Name: 'events', Unit: 'Count' },
            { Name: 'top_latency_ms', Unit: 'Milliseconds' },
          ],
        },
      ],
    });
  });

  it('on FC: the same fields for SLS to index, without Embedded Metric Format', async () => {
    const output = captureOutput();
    await start()(fcHttp(at(1)), fcContext());
    const [line] = eventLines(output());
    expect(line).toMatchObject({
      trigger: 'fc-http',
      platform_request_id: fcContext().requestId,
      outcome: 'delivered',
      events: 1,
      top_latency_ms: expect.any(Number),
    });
    expect(line).not.toHaveProperty('_aws');
  });

  it('a refusal carries TOP error codes; an event that never reached TOP has no TOP latency', async () => {
    const output = captureOutput();
    current().addFault({ kind: 'isv', subCode: 'isv.invalid-parameter', count: 1 });
    const handler = start();
    await handler(apigwHttp(at(2)), awsContext());
    await handler(apigwHttp({ ...EVENT, mall_id: 'x' }), awsContext());
    const [refused, invalid] = eventLines(output());
    expect(refused).toMatchObject({ outcome: 'rejected', code: 15, sub_code: 'isv.invalid-parameter', attempts: 1 });
    expect(invalid).toMatchObject({ outcome: 'invalid', issues: ['mall_id'], car_no: '浙A****5' });
    expect(invalid).not.toHaveProperty('top_latency_ms');
    expect(invalid?._aws.CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'events', Unit: 'Count' }]);
  });

  it('an event held back during a ban says why, and is counted by its reason', async () => {
    const output = captureOutput();
    current().addFault({ kind: 'ban', seconds: 5, count: 1 });
    const handler = start();
    await handler(apigwHttp(at(4)), awsContext());
    await handler(apigwHttp(at(5)), awsContext());
    const [limited, banned] = eventLines(output());
    expect(limited).toMatchObject({ outcome: 'transient', reason: 'rate_limited', code: 7, attempts: 1 });
    expect(banned).toMatchObject({ outcome: 'transient', reason: 'banned', attempts: 0 });
    expect(banned).not.toHaveProperty('top_latency_ms');
    expect(banned?._aws.CloudWatchMetrics[0].Dimensions).toEqual([
      ['function', 'outcome'],
      ['function'],
      ['function', 'reason'],
    ]);
    expect(current().calls).toHaveLength(1);
  });

  it('a queue message gets its own line, with the message id and the invocation id', async () => {
    const output = captureOutput();
    const event = await sqsEvent([{ body: at(3) }, { body: { mall_id: 0 } }]);
    await start()(event, awsContext());
    expect(eventLines(output()).map((l) => [l.record_id, l.platform_request_id, l.outcome])).toEqual(
      expect.arrayContaining([
        [event.Records[0]?.messageId, 'aws-req-1', 'delivered'],
        [event.Records[1]?.messageId, 'aws-req-1', 'invalid'],
      ]),
    );
  });
});

describe('no secret, full plate or full mobile number, on any path', () => {
  it('masks the plate and mobile number in the texts TOP sends back', () => {
    const personal = personalData({ car_no: ` ${PLATE}`, mobile: Number(MOBILE) });
    const outcome = scrubOutcome(
      transient(
        {
          reason: 'top_error',
          message: `refused ${PLATE}`,
          sub_msg: `手机号${MOBILE}无效`,
          body: `${PLATE}/${MOBILE}`,
        },
        1,
      ),
      personal,
    );
    expect(JSON.stringify(outcome)).not.toMatch(new RegExp(`${PLATE}|${MOBILE}`));
    expect(JSON.stringify(outcome)).toContain('浙A****5');
    expect(JSON.stringify(outcome)).toContain('159****5789');
  });

  it('in the output and the answers of every path', async () => {
    const output = captureOutput();
    const answers: unknown[] = [];
    const run = async (handler: Handler, event: unknown, context: unknown = awsContext()) => {
      answers.push(await handler(event, context).catch((err: Error) => err.message));
    };
    const signedEnv = { WEBHOOK_SECRETS: SECRET };
    const http = (n: number, extra = {}) =>
      apigwHttp({ ...at(n), ...extra }, { headers: signed({ ...at(n), ...extra }) });

    const handler = start(signedEnv);
    await run(handler, http(10)); // delivered
    await run(handler, http(10)); // duplicate
    await run(handler, http(11, { mall_id: 0, carNo: PLATE })); // invalid
    await run(handler, apigwHttp(at(12))); // not signed
    await run(handler, apigwHttp(at(12), { headers: signed(at(13)) })); // wrongly signed
    current().addFault({ kind: 'isv', count: 1 });
    await run(handler, http(14)); // refused by TOP
    current().addFault({ kind: 'business-failure', count: 1 });
    await run(handler, http(15));
    current().addFault({ kind: 'isp', count: 1 });
    await run(handler, http(16)); // retried, then delivered
    current().addFault({ kind: 'hang', count: 1 });
    await run(handler, http(18), awsContext(600)); // timed out
    await run(handler, fcHttp(at(19), { headers: signed(at(19)) }), fcContext());
    await run(handler, await sqsEvent([{ body: at(20) }, { body: { ...at(21), mall_id: 'x' } }]));
    // Last for this instance: after a ban it makes no call until the ban ends.
    current().addFault({ kind: 'ban', seconds: 5, count: 1 });
    await run(handler, http(17)); // rate limited
    await run(handler, http(26)); // banned
    await run(start({ WEBHOOK_SECRETS: `${SECRET} whsec_bad` }), http(22)); // malformed secret
    await run(start({ TOP_SIGN_METHOD: 'sha1' }), http(23)); // another setting wrong
    await run(start({ NODE_ENV: 'production' }), apigwHttp(at(24))); // production without secrets
    await run(start({ WEBHOOK_AUTH: 'off' }), apigwHttp(at(25)));

    const text = `${output()}\n${JSON.stringify(answers)}`;
    expect(eventLines(output()).map((l) => l.outcome)).toEqual(
      expect.arrayContaining(['delivered', 'invalid', 'unauthorized', 'rejected', 'transient']),
    );
    expect(text).toContain('浙A****5');
    expect(text).toContain('159****5789');
    for (const secret of [SANDBOX_APP_SECRET, SECRET, SECRET.slice('whsec_'.length), PLATE, MOBILE]) {
      expect(text).not.toContain(secret);
    }
  });
});
