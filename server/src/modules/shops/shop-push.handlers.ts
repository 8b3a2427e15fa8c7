import type { Logger } from '../../lib/logger';
import { scalarText } from '../../lib/text';
import type { InboxHandler } from '../../wecom/callbacks/event-handlers';
import type { ShopService } from './shop.service';

/**
 * Shop-level Shopee pushes (https://open.shopee.com/developer-guide/18, codes in ../shared/docs/marketplace.md §1.4.4):
 * 2 authorization canceled (revoked, expired, frozen), 12 authorization expiring within 7 days. Code 1 (authorized)
 * needs nothing: a shop is linked through the redirect, which carries its code.
 */
export function shopPushHandlers(shops: ShopService, logger: Logger): Record<string, InboxHandler> {
  const data = (e: { fields: Record<string, unknown> }) => (e.fields['data'] ?? {}) as Record<string, unknown>;
  return {
    shop_authorization: () => Promise.resolve('ignored'),
    shop_authorization_canceled: async (e) => {
      const d = data(e);
      const shopId = scalarText(d['shopid'] ?? d['shop_id'] ?? e.fields['shop_id']);
      if (!shopId) return 'ignored';
      await shops.markNeedsReauth(shopId, scalarText(d['authorize_type'], 'canceled'), 'revoked');
      return 'applied';
    },
    authorization_expiry: async (e) => {
      const d = data(e);
      const expireBefore = typeof d['expire_before'] === 'number' ? d['expire_before'] * 1000 : null;
      const ids = [...((d['shop_expire_soon'] as unknown[]) ?? [])].map(String);
      for (const shopId of ids) await shops.markExpiring(shopId, expireBefore);
      logger.info({ shops: ids.length }, 'Shopee authorization expiry warning');
      return ids.length ? 'applied' : 'ignored';
    },
  };
}
