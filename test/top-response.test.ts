import { describe, expect, it } from 'vitest';
import { readResponse, responseKey } from '../shared/top/response.js';

const BACKFLOW = 'tmall.popupstore.park.backflow';
const PAYINFO = 'taobao.taojie.parking.order.payinfo.sync';
const ok = (status: number, body: unknown) => readResponse(BACKFLOW, 'result_dto', status, JSON.stringify(body));
const error = (e: Record<string, unknown>) => ok(200, { error_response: { ...e, request_id: 'rid' } });

describe('responseKey', () => {
  it('drops a leading taobao. and turns dots into underscores', () => {
    expect(responseKey(BACKFLOW)).toBe('tmall_popupstore_park_backflow_response');
    expect(responseKey(PAYINFO)).toBe('taojie_parking_order_payinfo_sync_response');
  });
});

describe('readResponse', () => {
  it('accepts the success envelopes of both APIs as the seeds show them', () => {
    const backflow = ok(200, {
      tmall_popupstore_park_backflow_response: { result_dto: { success: true, data: true }, request_id: 'r1' },
    });
    expect(backflow).toMatchObject({ ok: true, request_id: 'r1' });
    const payinfo = readResponse(
      PAYINFO,
      'result',
      200,
      JSON.stringify({
        taojie_parking_order_payinfo_sync_response: {
          result: { code: '404', success: true, model: true, message: '未找到' },
          request_id: 'r2',
        },
      }),
    );
    expect(payinfo).toMatchObject({ ok: true, request_id: 'r2' });
  });

  it('retries isp.* platform faults', () => {
    const r = error({ code: 15, msg: 'Remote service error', sub_code: 'isp.remote-service-timeout' });
    expect(r).toMatchObject({
      ok: false,
      retry: 'backoff',
      failure: { code: 15, sub_code: 'isp.remote-service-timeout', request_id: 'rid' },
    });
  });

  it('never retries isv.*, signature, permission or argument faults', () => {
    for (const e of [
      { code: 15, msg: 'Remote service error', sub_code: 'isv.invalid-parameter', sub_msg: '非法参数' },
      { code: 50, msg: 'Remote service error', sub_code: 'isv.invalid-parameter' },
      { code: 25, msg: 'Invalid signature' },
      { code: 11, msg: 'Insufficient isv permissions' },
      { code: 41, msg: 'Invalid arguments' },
    ]) {
      expect(error(e)).toMatchObject({ ok: false, retry: 'never', failure: { reason: 'top_error', code: e.code } });
    }
  });

  it('reports code 7 as a wait of the ban time, not a retry now', () => {
    const r = error({ code: 7, msg: 'App Call Limited', sub_msg: 'This ban will last for 42 more seconds' });
    expect(r).toMatchObject({ ok: false, retry: 'later', waitSeconds: 42, failure: { reason: 'rate_limited' } });
    expect(error({ code: 7, msg: 'App Call Limited' })).toMatchObject({ retry: 'later', waitSeconds: 60 });
  });

  it('treats a business success=false or data=false as a refusal', () => {
    const r = ok(200, {
      tmall_popupstore_park_backflow_response: {
        result_dto: { success: true, data: false, error_code: '-1', error_message: 'errormsg' },
        request_id: 'r3',
      },
    });
    expect(r).toMatchObject({
      ok: false,
      retry: 'never',
      failure: { reason: 'business_failure', sub_code: '-1', sub_msg: 'errormsg', request_id: 'r3' },
    });
    const model = readResponse(
      PAYINFO,
      'result',
      200,
      JSON.stringify({ taojie_parking_order_payinfo_sync_response: { result: { success: false, model: false } } }),
    );
    expect(model).toMatchObject({ ok: false, retry: 'never', failure: { reason: 'business_failure' } });
  });

  it('keeps the evidence of a non-JSON body and retries it', () => {
    const r = readResponse(BACKFLOW, 'result_dto', 200, '<html>gateway busy</html>');
    expect(r).toMatchObject({
      ok: false,
      retry: 'backoff',
      failure: { reason: 'bad_response', status: 200, body: '<html>gateway busy</html>' },
    });
  });

  it('retries HTTP 5xx and 429, not other 4xx', () => {
    expect(readResponse(BACKFLOW, 'result_dto', 502, 'Bad Gateway')).toMatchObject({
      ok: false,
      retry: 'backoff',
      failure: { reason: 'http_error', status: 502, body: 'Bad Gateway' },
    });
    expect(readResponse(BACKFLOW, 'result_dto', 429, '')).toMatchObject({ retry: 'backoff' });
    expect(readResponse(BACKFLOW, 'result_dto', 404, 'no such path')).toMatchObject({
      retry: 'never',
      failure: { status: 404 },
    });
  });

  it('never reads an unexpected envelope as success', () => {
    expect(ok(200, { some_other_response: { request_id: 'x' } })).toMatchObject({
      ok: false,
      retry: 'never',
      failure: { reason: 'bad_response' },
    });
    expect(ok(200, { tmall_popupstore_park_backflow_response: { request_id: 'x' } })).toMatchObject({ ok: false });
    expect(ok(200, [1, 2])).toMatchObject({ ok: false });
    expect(readResponse(BACKFLOW, 'result_dto', 200, 'null')).toMatchObject({ ok: false });
  });
});
