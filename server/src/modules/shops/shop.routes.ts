import { z } from 'zod';
import type { ShopsResponse } from '@shopcrew/shared';
import { can } from '@shopcrew/shared';
import { actorOf } from '../../http/context';
import type { RouteDef } from '../../http/routes';
import type { Logger } from '../../lib/logger';
import { parse, pathParam } from '../../http/validate';
import { LinkFailure, type ShopService } from './shop.service';

const NONCE_COOKIE = 'sc_shop_link';
const assignmentBody = z.object({ mode: z.enum(['manual', 'round_robin']), cap: z.number().int().min(1).max(200) }).strict();

export interface ShopRouteDeps {
  shops: ShopService;
  secureCookies: boolean;
  logger: Logger;
}

/**
 * Linking a Shopee shop (https://open.shopee.com/developer-guide/20): /shopee/auth/start is a browser navigation by an
 * owner (settings:manage) that redirects to Shopee's authorization page; Shopee sends the seller back to
 * /shopee/auth/callback, which stores the shop and lands on the H5 shop page.
 */
export function shopRoutes(d: ShopRouteDeps): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/shopee/auth/start',
      access: 'settings:manage',
      handler: async (ctx) => {
        const { url, browserNonce } = await d.shops.beginLink(ctx.state.userid!);
        ctx.cookies.set(NONCE_COOKIE, browserNonce, {
          httpOnly: true,
          sameSite: 'lax',
          secure: d.secureCookies,
          path: '/shopee/auth',
          maxAge: 10 * 60_000,
          overwrite: true,
          signed: true,
        });
        ctx.set('Cache-Control', 'no-store');
        ctx.redirect(url);
      },
    },
    {
      method: 'get',
      path: '/shopee/auth/callback',
      access: 'public',
      handler: async (ctx) => {
        ctx.set('Cache-Control', 'no-store');
        try {
          const shopId = await d.shops.completeLink(ctx.query, ctx.cookies.get(NONCE_COOKIE, { signed: true }), ctx.state.userid);
          ctx.cookies.set(NONCE_COOKIE, null, { path: '/shopee/auth' });
          ctx.redirect(`/settings/shops?linked=${encodeURIComponent(shopId)}`);
        } catch (err) {
          if (!(err instanceof LinkFailure)) throw err;
          d.logger.warn({ reason: err.reason, requestId: ctx.state.requestId }, 'shop link refused');
          ctx.redirect(`/settings/shops?link_error=${err.reason}`);
        }
      },
    },
    {
      method: 'get',
      path: '/api/shops',
      access: 'authenticated',
      handler: async (ctx) => {
        const actor = actorOf(ctx);
        const all = d.shops.configured ? await d.shops.list() : [];
        const body: ShopsResponse = {
          configured: d.shops.configured,
          // Members see the shops their roles cover (for the orders filters); owners see every one.
          shops: all.filter((s) => can(actor, 'settings:manage') || can(actor, 'orders:read', { shopId: s.shopId })),
          ...(d.shops.configured && can(actor, 'settings:manage') ? { linkUrl: '/shopee/auth/start' } : {}),
        };
        ctx.body = body;
      },
    },
    {
      method: 'put',
      path: '/api/shops/:shopId/assignment',
      access: 'settings:manage',
      handler: async (ctx) => {
        ctx.body = await d.shops.setAssignment(pathParam(ctx, 'shopId'), await parse(assignmentBody, ctx), ctx.state.userid!, ctx.state.requestId);
      },
    },
  ];
}
