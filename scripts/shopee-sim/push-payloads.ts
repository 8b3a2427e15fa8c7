// Push bodies, field for field as the official push pages and the get_lost_push_message example show them
// (https://open.shopee.com/push-mechanism/3 order_status_push, /4 order_trackingno_push, /12
// open_api_authorization_expiry). Current pushes also carry a top-level "msg_id" (32 hex characters, captured by
// integrators in 2025–2026), which receivers use to dedupe; a retry resends the identical body.
// Code 29 (return_updates_push) has no published example: its body is the simulator's assumption (README "Returns").
import { randomHex } from './http';
import type { Order } from './orders';
import type { Return } from './returns';

export interface PushMessage {
  msgId: string;
  code: number;
  /** Absent for partner-level pushes (codes 1, 2, 12). */
  shopId?: number;
  /** The raw JSON body, signed and sent as is. */
  body: string;
  /** Simulator seconds when the push was created. */
  timestamp: number;
}

function message(code: number, timestamp: number, data: Record<string, unknown>, shopId?: number): PushMessage {
  const msgId = randomHex();
  const body = JSON.stringify({ msg_id: msgId, data, ...(shopId === undefined ? {} : { shop_id: shopId }), code, timestamp });
  return { msgId, code, shopId, body, timestamp };
}

/** Code 3: every status change. completed_scenario (added 2023-08-14) is "NORMAL" for a completed order, else "". */
export const orderStatusPush = (order: Order, timestamp: number): PushMessage =>
  message(
    3,
    timestamp,
    {
      items: [],
      ordersn: order.order_sn,
      status: order.order_status,
      completed_scenario: order.order_status === 'COMPLETED' ? 'NORMAL' : '',
      update_time: order.update_time,
    },
    order.shopId,
  );

/** Code 4: the 3PL assigned (or changed) the tracking number. */
export const trackingNumberPush = (order: Order, timestamp: number): PushMessage =>
  message(
    4,
    timestamp,
    {
      ordersn: order.order_sn,
      forder_id: order.package.forder_id,
      package_number: order.package.package_number,
      tracking_no: order.package.tracking_number,
    },
    order.shopId,
  );

/** Code 12: authorizations expiring before `expireBefore` (7 days ahead), one page. */
export const authorizationExpiryPush = (shopIds: number[], expireBefore: number, timestamp: number): PushMessage =>
  message(12, timestamp, {
    merchant_expire_soon: [],
    shop_expire_soon: shopIds,
    user_expire_soon: [],
    expire_before: expireBefore,
    page_no: 1,
    total_page: 1,
  });

/**
 * Code 29 (return_updates_push): a return was created or changed. No official example exists; this shape is an
 * ASSUMPTION modelled on code 3 (data: return_sn, order_sn, status, update_time). Treat it as "re-fetch this return"
 * with get_return_detail.
 */
export const returnUpdatePush = (r: Return, timestamp: number): PushMessage =>
  message(29, timestamp, { return_sn: r.return_sn, order_sn: r.order_sn, status: r.status, update_time: r.update_time }, r.shopId);
