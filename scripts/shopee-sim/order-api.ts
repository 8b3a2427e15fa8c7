// v2.order.get_order_list (https://open.shopee.com/documents/v2/v2.order.get_order_list) and
// v2.order.get_order_detail (https://open.shopee.com/documents/v2/v2.order.get_order_detail).
import { commaList, optInt, optString, reqInt, reqString, type Endpoint } from './endpoint';
import { ORDER, wrongParam } from './errors';
import type { Order } from './orders';

export const MAX_RANGE_S = 15 * 86400;
export const MAX_DETAIL_BATCH = 50;

/** get_order_list's order_status filter: exactly the values its page lists (no TO_CONFIRM_RECEIVE, RETRY_SHIP, TO_RETURN). */
const LIST_STATUSES = ['UNPAID', 'READY_TO_SHIP', 'PROCESSED', 'SHIPPED', 'COMPLETED', 'IN_CANCEL', 'CANCELLED', 'INVOICE_PENDING'];

/** Fields get_order_detail returns without asking ("Return by default" on its page). */
function defaultFields(o: Order): Record<string, unknown> {
  return {
    order_sn: o.order_sn,
    region: o.region,
    currency: o.currency,
    cod: o.cod,
    order_status: o.order_status,
    message_to_seller: o.message_to_seller,
    create_time: o.create_time,
    update_time: o.update_time,
    days_to_ship: o.days_to_ship,
    ship_by_date: o.ship_by_date,
  };
}

/** response_optional_fields values and how each is filled. */
const OPTIONAL: Record<string, (o: Order) => unknown> = {
  buyer_user_id: (o) => o.buyer_user_id,
  buyer_username: (o) => o.buyer_username,
  estimated_shipping_fee: (o) => o.estimated_shipping_fee,
  recipient_address: (o) => ({ ...o.recipient_address }),
  actual_shipping_fee: (o) => o.actual_shipping_fee,
  goods_to_declare: () => false,
  note: (o) => o.note,
  note_update_time: (o) => o.note_update_time,
  item_list: (o) =>
    o.items.map((it) => ({
      item_id: it.item_id,
      item_name: it.item_name,
      item_sku: it.item_sku,
      model_id: it.model_id,
      model_name: it.model_name,
      model_sku: it.model_sku,
      model_quantity_purchased: it.model_quantity_purchased,
      model_original_price: it.model_original_price,
      model_discounted_price: it.model_discounted_price,
      wholesale: false,
      weight: it.weight,
      add_on_deal: false,
      main_item: false,
      add_on_deal_id: 0,
      promotion_type: '',
      promotion_id: 0,
      order_item_id: it.order_item_id,
      promotion_group_id: 0,
      image_info: { image_url: it.image_url },
      product_location_id: [],
      is_prescription_item: false,
      is_b2c_owned_item: false,
    })),
  pay_time: (o) => o.pay_time,
  dropshipper: () => null,
  dropshipper_phone: () => null,
  split_up: () => false,
  buyer_cancel_reason: (o) => o.buyer_cancel_reason,
  cancel_by: (o) => o.cancel_by,
  cancel_reason: (o) => o.cancel_reason,
  actual_shipping_fee_confirmed: () => false,
  buyer_cpf_id: () => null,
  fulfillment_flag: () => 'fulfilled_by_local_seller',
  pickup_done_time: (o) => o.pickup_done_time,
  package_list: (o) => [
    {
      package_number: o.package.package_number,
      logistics_status: o.package.logistics_status,
      logistics_channel_id: o.package.logistics_channel_id,
      shipping_carrier: o.package.shipping_carrier,
      allow_self_design_awb: false,
      item_list: o.items.map((it) => ({
        item_id: it.item_id,
        model_id: it.model_id,
        model_quantity: it.model_quantity_purchased,
        order_item_id: it.order_item_id,
        promotion_group_id: 0,
        product_location_id: '',
      })),
      parcel_chargeable_weight_gram: Math.round(o.items.reduce((g, it) => g + it.weight * it.model_quantity_purchased, 0) * 1000),
      group_shipment_id: null,
    },
  ],
  shipping_carrier: (o) => o.shipping_carrier,
  payment_method: (o) => o.payment_method,
  total_amount: (o) => o.total_amount,
  invoice_data: () => null,
  order_chargeable_weight_gram: (o) => Math.round(o.items.reduce((g, it) => g + it.weight * it.model_quantity_purchased, 0) * 1000),
  // Only for COMPLETED orders still inside the return window (its page lists the conditions).
  return_request_due_date: (o) => (o.order_status === 'COMPLETED' ? o.update_time + 15 * 86400 : undefined),
};

export function orderDetail(o: Order, optional: string[]): Record<string, unknown> {
  const out = defaultFields(o);
  for (const f of optional) {
    const fill = OPTIONAL[f];
    if (!fill) continue; // market-specific fields (edt, payment_info, international_label) are not simulated
    const v = fill(o);
    if (v !== undefined) out[f] = v;
  }
  return out;
}

export const ORDER_ENDPOINTS: Record<string, Endpoint> = {
  '/api/v2/order/get_order_list': {
    method: 'GET',
    type: 'shop',
    handler: ({ params, state, shop }) => {
      const field = reqString(params, 'time_range_field');
      if (field !== 'create_time' && field !== 'update_time') throw wrongParam('time_range_field should be create_time or update_time');
      const from = reqInt(params, 'time_from');
      const to = reqInt(params, 'time_to');
      if (from > to || to - from > MAX_RANGE_S) throw ORDER.invalidTime();
      const pageSize = reqInt(params, 'page_size');
      if (pageSize < 1 || pageSize > 100) throw wrongParam('page_size should be between 1 and 100');
      const cursor = optString(params, 'cursor') ?? '';
      if (cursor !== '' && !/^\d+$/.test(cursor)) throw wrongParam('cursor is invalid');
      const offset = cursor === '' ? 0 : Number(cursor);
      const status = optString(params, 'order_status');
      if (status !== undefined && !LIST_STATUSES.includes(status)) throw wrongParam('order_status is invalid');
      const withStatus = commaList(params, 'response_optional_fields').includes('order_status');
      optInt(params, 'logistics_channel_id');
      const matches = [...state.orders.values()]
        .filter((o) => o.shopId === shop!.shopId && o[field] >= from && o[field] <= to && (status === undefined || o.order_status === status))
        .sort((a, b) => b[field] - a[field] || (a.order_sn < b.order_sn ? 1 : -1));
      const page = matches.slice(offset, offset + pageSize);
      const more = offset + pageSize < matches.length;
      return {
        response: {
          more,
          next_cursor: more ? String(offset + pageSize) : '',
          order_list: page.map((o) => (withStatus ? { order_sn: o.order_sn, order_status: o.order_status } : { order_sn: o.order_sn })),
        },
      };
    },
  },
  '/api/v2/order/get_order_detail': {
    method: 'GET',
    type: 'shop',
    handler: ({ params, state, shop }) => {
      const sns = commaList(params, 'order_sn_list');
      if (sns.length === 0) throw wrongParam('order_sn_list is required');
      if (sns.length > MAX_DETAIL_BATCH) throw wrongParam(`order_sn_list should contain 1 to ${MAX_DETAIL_BATCH} order_sn`);
      const optional = commaList(params, 'response_optional_fields');
      const found = [...new Set(sns)].map((sn) => state.orders.get(sn)).filter((o): o is Order => o !== undefined && o.shopId === shop!.shopId);
      if (found.length === 0) throw ORDER.notFound();
      return { response: { order_list: found.map((o) => orderDetail(o, optional)) } };
    },
  },
};
