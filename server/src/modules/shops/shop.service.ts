import { randomBytes } from 'node:crypto';
import { IsNull, type DataSource } from 'typeorm';
import type { AssignmentRule, ShopView } from '@shopcrew/shared';
import { AppError, NotFoundError } from '../../errors';
import type { Logger } from '../../lib/logger';
import type { ShopeeClient } from '../../marketplace/shopee/client';
import { pushInboxRow, sha256Hex, type ShopeePushBody } from '../../marketplace/shopee/push';
import type { InboxRow } from '../../wecom/callbacks/inbox-writer';
import { ShopeeShopApi } from '../../marketplace/shopee/shop-api';
import type { ShopApi } from '../../marketplace/types';
import type { UnitOfWork } from '../../platform/tx';
import { Shop, ShopLinkState } from './shop.entity';
import type { ShopTokens } from './shop-tokens';

const STATE_TTL_MS = 10 * 60_000;
/** Shopee warns 7 days ahead (push code 12); owners see the warning from then on. */
export const EXPIRY_WARNING_MS = 7 * 86_400_000;

export class NotConfiguredError extends AppError {
  constructor() {
    super(503, 'not_configured', '未配置 Shopee 应用（SHOPEE_PARTNER_ID）(Shopee is not configured)');
  }
}

/** Why a link attempt failed, for the H5 shop page (`?link_error=`). */
export class LinkFailure extends Error {
  constructor(readonly reason: 'bad_state' | 'exchange_failed' | 'missing_code') {
    super(reason);
  }
}

/**
 * Linked shops: linking through Shopee's authorization page (state single use, bound to the owner and the browser),
 * the shop list with each shop's authorization state, per-shop assignment rules, and each shop's API for the modules
 * that work with orders.
 */
export class ShopService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly client: ShopeeClient | null,
    private readonly tokens: ShopTokens,
    private readonly publicUrl: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get configured(): boolean {
    return this.client !== null;
  }

  /** Start linking: a single-use state bound to `userid` and this browser's nonce; answers Shopee's authorization URL. */
  async beginLink(userid: string): Promise<{ url: string; browserNonce: string }> {
    const client = this.requireClient();
    const state = randomBytes(24).toString('hex');
    const browserNonce = randomBytes(24).toString('base64url');
    await this.ds
      .getRepository(ShopLinkState)
      .insert({ state, userid, browserHash: sha256Hex(browserNonce), expiresAt: this.now() + STATE_TTL_MS, usedAt: null });
    return { url: client.authPartnerUrl(`${this.publicUrl}/shopee/auth/callback?state=${state}`), browserNonce };
  }

  /** The redirect back: check the state, exchange the code, store the shop and its tokens. Answers the shop id. */
  async completeLink(
    q: { state?: unknown; code?: unknown; shop_id?: unknown },
    browserNonce: string | undefined,
    signedIn: string | undefined,
  ): Promise<string> {
    const userid = await this.consumeState(q.state, browserNonce, signedIn);
    if (typeof q.code !== 'string' || typeof q.shop_id !== 'string' || !/^\d{1,20}$/.test(q.shop_id)) throw new LinkFailure('missing_code');
    return this.linkWithCode(q.code, q.shop_id, userid);
  }

  /** Exchange an authorization code and store the shop (also how the demo links its simulated shop). */
  async linkWithCode(code: string, shopId: string, userid: string): Promise<string> {
    const client = this.requireClient();
    let grant;
    try {
      grant = await client.tokenGet(code, shopId);
    } catch (err) {
      this.logger.warn({ shopId, err: (err as Error).message }, 'Shopee code exchange failed');
      throw new LinkFailure('exchange_failed');
    }
    const now = this.now();
    const sealed = this.tokens.seal(grant);
    await this.uow.run({ actor: userid }, async (tx) => {
      const existing = await tx.manager.findOneBy(Shop, { shopId });
      if (existing)
        await tx.manager.update(
          Shop,
          { shopId },
          { ...sealed, status: 'active', tokenVersion: existing.tokenVersion + 1, linkedBy: userid, linkedAt: now, updatedAt: now },
        );
      else
        await tx.manager.insert(Shop, {
          shopId,
          platform: 'shopee',
          name: `Shopee ${shopId}`,
          region: '',
          currency: '',
          status: 'active',
          authExpiresAt: now + 365 * 86_400_000,
          ...sealed,
          tokenVersion: 1,
          assignmentMode: 'manual',
          assignmentCap: 20,
          linkedBy: userid,
          linkedAt: now,
          updatedAt: now,
        });
      await tx.audit({ action: 'shops.linked', targetType: 'shop', targetId: shopId, after: { platform: 'shopee', relinked: Boolean(existing) } });
    });
    await this.refreshProfile(shopId).catch((err: unknown) => this.logger.warn({ shopId, err: (err as Error).message }, 'could not read the shop profile'));
    const shop = await this.get(shopId);
    await this.uow.run({ actor: userid }, (tx) => tx.publish('shop.linked', { shop_id: shopId, shop_name: shop.name, linked_by: userid }));
    return shopId;
  }

  /** Name, region, currency and authorization expiry from the marketplace. */
  async refreshProfile(shopId: string): Promise<void> {
    const profile = await this.api(shopId).profile();
    await this.ds
      .getRepository(Shop)
      .update(
        { shopId },
        { name: profile.name, region: profile.region, currency: profile.currency, authExpiresAt: profile.authExpiresAt, updatedAt: this.now() },
      );
  }

  async list(): Promise<ShopView[]> {
    const shops = await this.ds.getRepository(Shop).find({ order: { linkedAt: 'ASC' } });
    return shops.map((s) => this.view(s));
  }

  async get(shopId: string): Promise<Shop> {
    const shop = await this.ds.getRepository(Shop).findOneBy({ shopId });
    if (!shop) throw new NotFoundError('店铺不存在 (shop not found)');
    return shop;
  }

  /** Shops whose orders are read: linked and authorized. */
  async activeShopIds(): Promise<string[]> {
    const shops = await this.ds.getRepository(Shop).find({ select: { shopId: true, status: true } });
    return shops.filter((s) => s.status === 'active' || s.status === 'expiring').map((s) => s.shopId);
  }

  async setAssignment(shopId: string, rule: AssignmentRule, actor: string, requestId?: string): Promise<ShopView> {
    await this.uow.run({ actor, requestId }, async (tx) => {
      const before = await tx.manager.findOneBy(Shop, { shopId });
      if (!before) throw new NotFoundError('店铺不存在 (shop not found)');
      await tx.manager.update(Shop, { shopId }, { assignmentMode: rule.mode, assignmentCap: rule.cap, updatedAt: this.now() });
      await tx.audit({
        action: 'shops.assignment_changed',
        targetType: 'shop',
        targetId: shopId,
        before: { mode: before.assignmentMode, cap: before.assignmentCap },
        after: { ...rule },
      });
    });
    return this.view(await this.get(shopId));
  }

  /** Refresh refused, authorization revoked or expired: stop calling Shopee for it and tell its owners. */
  async markNeedsReauth(shopId: string, reason: string, status: 'needs_reauth' | 'revoked' = 'needs_reauth'): Promise<void> {
    await this.uow.run({ actor: 'shopee' }, async (tx) => {
      const shop = await tx.manager.findOneBy(Shop, { shopId });
      if (!shop || shop.status === status) return;
      await tx.manager.update(Shop, { shopId }, { status, updatedAt: this.now() });
      await tx.audit({ action: 'shops.needs_reauth', targetType: 'shop', targetId: shopId, after: { status, reason } });
      await tx.publish('shop.needs_reauth', { shop_id: shopId, shop_name: shop.name, reason, url: '/settings/shops' });
    });
  }

  /** Push code 12: the authorization ends within 7 days; its owners are told once (the status moves once). */
  async markExpiring(shopId: string, expiresAt: number | null): Promise<void> {
    await this.uow.run({ actor: 'shopee' }, async (tx) => {
      const moved = await tx.manager
        .createQueryBuilder()
        .update(Shop)
        .set({ status: 'expiring', ...(expiresAt ? { authExpiresAt: expiresAt } : {}), updatedAt: this.now() })
        .where('shop_id = :shopId AND status = :active', { shopId, active: 'active' })
        .execute();
      if (!moved.affected) return;
      const shop = await tx.manager.findOneByOrFail(Shop, { shopId });
      await tx.publish('shop.auth_expiring', { shop_id: shopId, shop_name: shop.name, expires_at: shop.authExpiresAt ?? this.now(), url: '/settings/shops' });
    });
  }

  /**
   * Pushes Shopee could not deliver (https://open.shopee.com/documents/v2/v2.push.get_lost_push_message: the earliest
   * 100 unconfirmed of the last 3 days a page) go into the inbox like live ones, then are confirmed up to the last
   * message id. Answers how many were stored.
   */
  async drainLostPushes(inbox: { write(row: InboxRow): Promise<boolean> }, maxPages = 20): Promise<number> {
    const client = this.requireClient();
    let stored = 0;
    for (let page = 0; page < maxPages; page++) {
      const r = await client.partner<LostPushPage>('GET', '/api/v2/push/get_lost_push_message');
      for (const m of r.push_message_list ?? []) {
        const body = lostPushBody(m);
        if (await inbox.write(pushInboxRow(JSON.stringify(body), body))) stored++;
      }
      if (!r.last_message_id) break;
      await client.partner('POST', '/api/v2/push/confirm_consumed_lost_push_message', { last_message_id: r.last_message_id });
      if (!r.has_next_page) break;
    }
    return stored;
  }

  /** One shop's marketplace API (tokens refreshed inside). */
  api(shopId: string): ShopApi {
    return new ShopeeShopApi(this.requireClient(), this.tokens, shopId);
  }

  view(s: Shop): ShopView {
    const expiring = s.status === 'active' && s.authExpiresAt !== null && s.authExpiresAt - this.now() < EXPIRY_WARNING_MS;
    return {
      shopId: s.shopId,
      platform: s.platform,
      name: s.name,
      region: s.region,
      currency: s.currency,
      status: expiring ? 'expiring' : s.status,
      authExpiresAt: s.authExpiresAt ? new Date(s.authExpiresAt).toISOString() : null,
      assignment: { mode: s.assignmentMode, cap: s.assignmentCap },
    };
  }

  private requireClient(): ShopeeClient {
    if (!this.client) throw new NotConfiguredError();
    return this.client;
  }

  private async consumeState(state: unknown, browserNonce: string | undefined, signedIn: string | undefined): Promise<string> {
    if (typeof state !== 'string' || !/^[a-f0-9]{48}$/.test(state)) throw new LinkFailure('bad_state');
    const repo = this.ds.getRepository(ShopLinkState);
    const row = await repo.findOneBy({ state });
    if (!row || !browserNonce || row.browserHash !== sha256Hex(browserNonce) || (signedIn && signedIn !== row.userid)) throw new LinkFailure('bad_state');
    const used = await repo
      .createQueryBuilder()
      .update()
      .set({ usedAt: this.now() })
      .where({ state, usedAt: IsNull() })
      .andWhere('expires_at > :now', { now: this.now() })
      .execute();
    if (used.affected !== 1) throw new LinkFailure('bad_state');
    return row.userid;
  }
}

interface LostPushPage {
  push_message_list?: Array<{ shop_id?: number; code: number; timestamp: number; data: string }>;
  has_next_page?: boolean;
  last_message_id?: number;
}

/** A lost push as the push it was: `data` is a JSON string (the push's data, or the whole push body). */
function lostPushBody(m: { shop_id?: number; code: number; timestamp: number; data: string }): ShopeePushBody {
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(m.data) as Record<string, unknown>;
  } catch {
    // kept as an empty data object: the row is stored and marked ignored by its handler
  }
  if (typeof data['code'] === 'number' && data['data'] && typeof data['data'] === 'object') return data;
  return { code: m.code, shop_id: m.shop_id, timestamp: m.timestamp, data };
}
