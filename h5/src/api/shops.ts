import type { AssignmentRule, ShopsResponse, ShopView } from '@shopcrew/shared';
import { get, request } from './http';

/** 店铺 (server/src/modules/shops): the linked marketplace shops and how each one's orders are given out. */

/** GET /api/shops (orders:read or settings:manage); `linkUrl` only for settings:manage. */
export function fetchShops(signal?: AbortSignal): Promise<ShopsResponse> {
  return get<ShopsResponse>('/api/shops', { signal });
}

/** PUT /api/shops/:shopId/assignment (settings:manage): 手动认领池 or 轮流分配 with a cap. */
export function updateAssignment(shopId: string, rule: AssignmentRule): Promise<ShopView> {
  return request<ShopView>(`/api/shops/${encodeURIComponent(shopId)}/assignment`, { method: 'PUT', body: rule });
}
