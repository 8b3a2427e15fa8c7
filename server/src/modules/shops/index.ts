import { isHttps } from '../../config/config';
import { SecretBox } from '../../lib/secret-box';
import { ShopeeClient } from '../../marketplace/shopee/client';
import { shopeePushRoutes } from '../../marketplace/shopee/push.routes';
import type { EventTypeDef } from '../../platform/events';
import { defineModule } from '../../platform/module';
import { shopPushHandlers } from './shop-push.handlers';
import { Shop, ShopLinkState } from './shop.entity';
import { shopRoutes } from './shop.routes';
import { ShopService } from './shop.service';
import { REFRESH_MARGIN_MS, ShopTokens } from './shop-tokens';

const SHOP_EVENTS: EventTypeDef[] = [
  {
    type: 'shop.linked',
    label: '店铺已关联',
    fields: { shop_id: { label: '店铺ID', type: 'string' }, shop_name: { label: '店铺', type: 'string' }, linked_by: { label: '操作人', type: 'string' } },
  },
  {
    type: 'shop.needs_reauth',
    label: '店铺需重新授权',
    fields: {
      shop_id: { label: '店铺ID', type: 'string' },
      shop_name: { label: '店铺', type: 'string' },
      reason: { label: '原因', type: 'string' },
      url: { label: '链接', type: 'string', optional: true },
    },
    template: '店铺 {shop_name} 的 Shopee 授权已失效（{reason}），请店长重新授权。',
    defaultRules: [{ name: '店铺授权失效提醒', format: 'text', permissions: ['settings:manage'] }],
  },
  {
    type: 'shop.auth_expiring',
    label: '店铺授权即将到期',
    fields: {
      shop_id: { label: '店铺ID', type: 'string' },
      shop_name: { label: '店铺', type: 'string' },
      expires_at: { label: '到期时间', type: 'time' },
      url: { label: '链接', type: 'string', optional: true },
    },
    template: '店铺 {shop_name} 的 Shopee 授权将于 {expires_at} 到期，请店长在到期前重新授权。',
    defaultRules: [{ name: '店铺授权到期提醒', format: 'text', permissions: ['settings:manage'] }],
  },
];

declare module '../../platform/services' {
  interface ServiceMap {
    shops: ShopService;
    shopTokens: ShopTokens;
  }
}

/**
 * Linked marketplace shops (Shopee first): linking, tokens (refreshed under a per-shop lock), the push receiver and
 * the shop-level pushes (authorization granted, revoked, expiring). Orders read shops through the `shops` service.
 */
export const shopsModule = defineModule({
  name: 'shops',
  entities: [Shop, ShopLinkState],
  create: ({ config, ds, uow, leases, logger, inbox }) => {
    const box = new SecretBox(config.SECRETS_KEY);
    const client =
      config.SHOPEE_PARTNER_ID && config.SHOPEE_PARTNER_KEY
        ? new ShopeeClient({ partnerId: config.SHOPEE_PARTNER_ID, partnerKey: config.SHOPEE_PARTNER_KEY, apiBase: config.SHOPEE_API_BASE }, logger)
        : null;
    let shops: ShopService | null = null;
    const tokens = new ShopTokens(
      ds,
      leases,
      box,
      client ?? { refresh: () => Promise.reject(new Error('Shopee is not configured')) },
      logger,
      (shopId, reason) => shops!.markNeedsReauth(shopId, reason),
    );
    shops = new ShopService(ds, uow, client, tokens, config.PUBLIC_URL, logger);
    const pushKey = config.SHOPEE_PUSH_KEY ?? config.SHOPEE_PARTNER_KEY;
    const service = shops;
    return {
      provides: { shops: service, shopTokens: tokens },
      events: SHOP_EVENTS,
      routes: [
        ...shopRoutes({ shops: service, secureCookies: isHttps(config), logger }),
        ...(pushKey ? shopeePushRoutes({ pushKey, callbackUrl: `${config.PUBLIC_URL}/shopee/push`, inbox, logger }) : []),
      ],
      inboxHandlers: { shopee: shopPushHandlers(service, logger) },
      jobs: [
        {
          // Pushes Shopee gave up on (our endpoint down, a deploy): drained every few minutes, off :00 and :30.
          key: 'shops.lost-pushes',
          cron: `2-59/${config.SHOPEE_RECONCILE_MINUTES} * * * *`,
          run: async () => {
            if (!service.configured) return;
            const stored = await service.drainLostPushes(inbox);
            if (stored) logger.info({ stored }, 'lost Shopee pushes drained into the inbox');
          },
        },
        {
          // Access tokens live 4 h: refresh those with less than 20 minutes left, every 10 minutes, off :00 and :30.
          key: 'shops.tokens.refresh',
          cron: '3-59/10 * * * *',
          run: async () => {
            const soon = Date.now() + REFRESH_MARGIN_MS + 10 * 60_000;
            const due = await ds
              .getRepository(Shop)
              .createQueryBuilder('s')
              .where('s.status IN (:...ok) AND s.access_expires_at < :soon', { ok: ['active', 'expiring'], soon })
              .getMany();
            for (const s of due)
              await tokens
                .refresh(s.shopId, s.tokenVersion)
                .catch((err: unknown) => logger.warn({ shopId: s.shopId, err: (err as Error).message }, 'token refresh failed'));
          },
        },
      ],
    };
  },
});
