import { payinfoSync } from '../shared/apis/payinfo.js';
import { createHandler } from '../shared/handler.js';

/** Reports a pay order or refund to taobao.taojie.parking.order.payinfo.sync. */
export const api = payinfoSync;
export const handler = createHandler(api);
