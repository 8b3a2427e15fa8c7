import type { AssigneeOption, DutyView, OrderDetail, OrderListResponse, ShipInput, ShippingOptions } from '@shopcrew/shared';
import { get, post, request } from './http';

/**
 * 订单 (server/src/modules/orders): the list, one order, and what members do with it. Every route needs
 * orders:read; claim, release, assign and ship answer with the order as it is now (OrderDetail).
 */

const path = (orderSn: string, rest = '') => `/api/orders/${encodeURIComponent(orderSn)}${rest}`;

/** GET /api/orders?view=&shop=&status=&q=&cursor=&limit=: one page, newest first (composables/orders.ts `listQuery`). */
export function fetchOrders(query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<OrderListResponse> {
  return get<OrderListResponse>('/api/orders', { query, signal });
}

/** GET /api/orders/:orderSn (404 for an order the member may not see). */
export function fetchOrder(orderSn: string, signal?: AbortSignal): Promise<OrderDetail> {
  return get<OrderDetail>(path(orderSn), { signal });
}

/** POST /api/orders/:orderSn/claim (409 already_claimed, details: AlreadyClaimedDetails). */
export function claimOrder(orderSn: string): Promise<OrderDetail> {
  return post<OrderDetail>(path(orderSn, '/claim'), {});
}

/** POST /api/orders/:orderSn/release: back to the claim pool. */
export function releaseOrder(orderSn: string): Promise<OrderDetail> {
  return post<OrderDetail>(path(orderSn, '/release'), {});
}

/** POST /api/orders/:orderSn/assign {userid}: 分配, or 转交 when someone holds it. */
export function assignOrder(orderSn: string, userid: string): Promise<OrderDetail> {
  return post<OrderDetail>(path(orderSn, '/assign'), { userid });
}

/** GET /api/orders/:orderSn/assignees: who may be given the order (on duty, open orders). */
export function fetchAssignees(orderSn: string, signal?: AbortSignal): Promise<{ members: AssigneeOption[] }> {
  return get<{ members: AssigneeOption[] }>(path(orderSn, '/assignees'), { signal });
}

/** GET /api/orders/:orderSn/shipping: the ways this order can be shipped. */
export function fetchShipping(orderSn: string, signal?: AbortSignal): Promise<ShippingOptions> {
  return get<ShippingOptions>(path(orderSn, '/shipping'), { signal });
}

/** POST /api/orders/:orderSn/ship (the tracking number may still be null in the answer). */
export function shipOrder(orderSn: string, body: ShipInput): Promise<OrderDetail> {
  return post<OrderDetail>(path(orderSn, '/ship'), body, { timeoutMs: 30_000 });
}

/** GET /api/orders/duty: whether the signed-in member is 在岗. */
export function fetchDuty(signal?: AbortSignal): Promise<DutyView> {
  return get<DutyView>('/api/orders/duty', { signal });
}

/** PUT /api/orders/duty {onDuty}. */
export function updateDuty(onDuty: boolean): Promise<DutyView> {
  return request<DutyView>('/api/orders/duty', { method: 'PUT', body: { onDuty } });
}
