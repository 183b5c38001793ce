// How the console joins the functions' event lines with the sandbox's calls, and what it masks.
import { describe, expect, it } from 'vitest';
import type { SandboxCall } from '../dev/sandbox/index.js';
import { EventFeed, type FunctionLine, functionLine } from '../dev/stack/feed.js';
import { maskCall } from '../dev/stack/mask-call.js';

const BACKFLOW = 'tmall.popupstore.park.backflow';
const PAYINFO = 'taobao.taojie.parking.order.payinfo.sync';
const T = 1_800_000_000_000;

const call = (id: string, receivedAt: number, params: Record<string, string>, response: unknown = {}): SandboxCall => ({
  id,
  receivedAt,
  method: params.method ?? BACKFLOW,
  signature: 'valid',
  params: { method: BACKFLOW, ...params },
  status: 200,
  response,
  durationMs: 1,
});

const line = (fields: Partial<FunctionLine>): FunctionLine => ({
  function: 'arrive',
  trigger: 'apigw-http',
  outcome: 'delivered',
  latency_ms: 300,
  car_no: '浙A****5',
  attempts: 1,
  ...fields,
});

describe('EventFeed', () => {
  it('gives an event every attempt made for it, and leaves other functions and plates alone', () => {
    const feed = new EventFeed();
    feed.addCall(call('c1', T - 250, { action: 'arrive', car_no: '浙A12345' }));
    feed.addCall(call('c2', T - 200, { action: 'leave', car_no: '浙A12345' }));
    feed.addCall(call('c3', T - 150, { action: 'arrive', car_no: '沪B99999' }));
    feed.addCall(call('c4', T - 100, { action: 'arrive', car_no: '浙A12345' }));
    const event = feed.addLine(line({ attempts: 2 }), T);
    expect(event.calls.map((c) => c.id)).toEqual(['c1', 'c4']);
    expect(event.method).toBe(BACKFLOW);
    expect(feed.addLine(line({ function: 'leave' }), T + 10).calls.map((c) => c.id)).toEqual(['c2']);
  });

  it('joins a call answered after its function gave up (a slow gateway) to that event', () => {
    const feed = new EventFeed();
    const seen: string[] = [];
    feed.subscribe((e) => seen.push(`${e.id}:${e.calls.length}`));
    feed.addLine(line({ outcome: 'transient' }), T);
    feed.addCall(call('c1', T - 200, { action: 'arrive', car_no: '浙A12345' }));
    expect(feed.events()[0]?.calls.map((c) => c.id)).toEqual(['c1']);
    expect(seen).toEqual(['e1:0', 'e1:1']);
  });

  it('gives no call to an invalid event or a duplicate, which sent nothing', () => {
    const feed = new EventFeed();
    feed.addCall(call('c1', T - 1, { action: 'arrive', car_no: '浙A12345' }));
    expect(feed.addLine(line({ outcome: 'invalid', latency_ms: 2 }), T).calls).toEqual([]);
    expect(feed.addLine(line({ duplicate: true, latency_ms: 2 }), T).calls).toEqual([]);
    expect(feed.addLine(line({ latency_ms: 2 }), T).calls.map((c) => c.id)).toEqual(['c1']);
  });

  it('reads only the functions event lines from their output', () => {
    expect(functionLine('{"level":"info","msg":"event","function":"pay","outcome":"delivered"}')).toMatchObject({
      function: 'pay',
    });
    expect(functionLine('{"level":"error","msg":"config","function":"pay"}')).toBeUndefined();
    expect(functionLine('POST /pay (λ: pay)')).toBeUndefined();
    expect(functionLine('{not json')).toBeUndefined();
  });
});

describe('maskCall', () => {
  it('masks plates and mobiles in the params, inside the pay order, and wherever TOP quotes them', () => {
    const dto = JSON.stringify({ order_id: 'BK1', car_no: '粤Z1234港', pay_fee: 1000 });
    const masked = maskCall(
      call(
        'c1',
        T,
        { method: PAYINFO, pay_order_info_dto: dto, session: 'sess-secret' },
        {
          error_response: { code: 41, sub_msg: 'car_no 粤Z1234港 is not known' },
        },
      ),
    );
    expect(JSON.parse(masked.params.pay_order_info_dto ?? '')).toEqual({
      order_id: 'BK1',
      car_no: '粤Z****港',
      pay_fee: 1000,
    });
    expect(masked.params.session).toBe('****');
    expect(JSON.stringify(masked)).not.toMatch(/粤Z1234港|sess-secret/);
    const backflow = maskCall(
      call('c2', T, { car_no: '浙A12345', mobile: '15988855789' }, 'mobile 15988855789 refused'),
    );
    expect(backflow.params).toMatchObject({ car_no: '浙A****5', mobile: '159****5789' });
    expect(backflow.response).toBe('mobile 159****5789 refused');
  });
});
