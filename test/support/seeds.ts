// The request examples of the two API documents (docs/top-protocol.md §10), as the product's input.

/** `taobao.taojie.parking.order.payinfo.sync`'s example PayOrderInfoDto. */
export const SEED_PAY_ORDER = {
  pay_order_id: '2020111112323232323',
  pay_method: 'WX',
  car_no: '浙A888888',
  order_id: 'BK212132334343',
  park_id: 'p123456',
  pay_time: '2020-10-10 20:00:00',
  order_type: 1,
  pay_fee: 1000,
};
