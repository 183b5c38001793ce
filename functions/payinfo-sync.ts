import { payinfoSync } from '../shared/apis.js';
import { createHandler } from '../shared/handler.js';

/** Reports a pay order or refund to taobao.taojie.parking.order.payinfo.sync. */
export const handler = createHandler(payinfoSync);
