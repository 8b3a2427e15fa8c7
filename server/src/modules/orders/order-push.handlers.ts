import type { Logger } from '../../lib/logger';
import { scalarText } from '../../lib/text';
import { isShopUnreadable } from '../../marketplace/types';
import type { InboxHandler } from '../../wecom/callbacks/event-handlers';
import type { OrderService } from './order.service';

/**
 * Order pushes from Shopee (codes 3 order_status and 4 order_trackingno; https://open.shopee.com/developer-guide/18).
 * A push only says that something changed: the handler re-reads the order (get_order_detail) and applies it if it is
 * newer, so repeats and out-of-order arrivals end in the right state. A failure throws, and the inbox retries the row.
 */
export function orderPushHandlers(orders: OrderService, logger: Logger): Record<string, InboxHandler> {
  const target = (fields: Record<string, unknown>) => {
    const data = (fields['data'] ?? {}) as Record<string, unknown>;
    const orderSn = typeof data['ordersn'] === 'string' ? data['ordersn'] : null;
    const shopId = scalarText(fields['shop_id']) || null;
    return orderSn && shopId ? { orderSn, shopId } : null;
  };
  const guarded =
    (apply: (t: { orderSn: string; shopId: string }) => Promise<void>): InboxHandler =>
    async (e) => {
      const t = target(e.fields);
      if (!t) return 'ignored';
      try {
        await apply(t);
        return 'applied';
      } catch (err) {
        if (isShopUnreadable(err)) return 'ignored';
        throw err;
      }
    };
  return {
    order_status: guarded((t) => orders.refresh(t.shopId, t.orderSn)),
    order_trackingno: guarded(async (t) => {
      await orders.refresh(t.shopId, t.orderSn);
      if (!(await orders.pollTracking(t.shopId, t.orderSn))) logger.warn({ orderSn: t.orderSn }, 'tracking-number push, but no tracking number yet');
    }),
  };
}
