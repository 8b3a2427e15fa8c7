import type { DataSource } from 'typeorm';
import type { LeaseStore } from '../../db/leases';
import type { SecretBox } from '../../lib/secret-box';
import type { Logger } from '../../lib/logger';
import { sleep } from '../../lib/sleep';
import { MarketplaceError, ShopNeedsReauthorization, type ShopGrant } from '../../marketplace/types';
import { Shop } from './shop.entity';

/** Refresh when less than this is left (Shopee's access token lives 4 h; https://open.shopee.com/developer-guide/20). */
export const REFRESH_MARGIN_MS = 20 * 60_000;
const LOCK_TTL_MS = 15_000;
const LOCK_WAIT_MS = 20_000;
/** Tries with the same refresh token when the answer is lost (network, 5xx): the first may have been used already. */
const LOST_ANSWER_TRIES = 3;

export interface TokenRefresher {
  refresh(refreshToken: string, shopId: string): Promise<ShopGrant>;
}

/**
 * Access tokens per shop. Shopee's refresh tokens are single use, so a refresh runs under a per-shop lease across
 * every instance; after taking it the row is read again, and if another instance refreshed meanwhile (a newer token
 * version, or a token with time left) that token is used. The new pair is written before the lease is released and
 * before it is used. A refresh whose answer is lost is tried again at once with the same token; if Shopee then
 * refuses it, the shop needs re-authorization (`onNeedsReauth`, which tells its owner).
 */
export class ShopTokens {
  constructor(
    private readonly ds: DataSource,
    private readonly leases: LeaseStore,
    private readonly box: SecretBox,
    private readonly refresher: TokenRefresher,
    private readonly logger: Logger,
    private readonly onNeedsReauth: (shopId: string, reason: string) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token for a shop API call: the stored one while it has time left, else a fresh one. */
  async accessToken(shopId: string): Promise<string> {
    const shop = await this.shop(shopId);
    if (shop.accessExpiresAt - this.now() > REFRESH_MARGIN_MS) return this.open(shop, 'access');
    return this.refresh(shopId, shop.tokenVersion);
  }

  /**
   * A new token after Shopee refused `staleVersion`'s (expired early, replaced): refreshed unless another instance
   * already did. Also what the proactive job calls for tokens near their end.
   */
  async refresh(shopId: string, staleVersion: number): Promise<string> {
    const lease = await this.lock(shopId);
    try {
      const shop = await this.shop(shopId);
      if (shop.tokenVersion !== staleVersion && shop.accessExpiresAt - this.now() > 60_000) return this.open(shop, 'access');
      const grant = await this.exchange(shop);
      lease.check();
      await this.save(shopId, grant, shop.tokenVersion);
      return grant.accessToken;
    } finally {
      await lease.release();
    }
  }

  /** The token version a caller saw, to pass to refresh() when that token is refused. */
  async version(shopId: string): Promise<number> {
    return (await this.shop(shopId)).tokenVersion;
  }

  /** A first pair (shop linked or re-linked): replaces whatever was stored. */
  async store(grant: ShopGrant): Promise<void> {
    const shop = await this.ds.getRepository(Shop).findOneBy({ shopId: grant.shopId });
    if (shop) await this.save(grant.shopId, grant, shop.tokenVersion);
  }

  seal(grant: ShopGrant): Pick<Shop, 'accessToken' | 'refreshToken' | 'accessExpiresAt'> {
    return {
      accessToken: this.box.seal(grant.accessToken, `shop-access:${grant.shopId}`),
      refreshToken: this.box.seal(grant.refreshToken, `shop-refresh:${grant.shopId}`),
      accessExpiresAt: grant.accessExpiresAt,
    };
  }

  private async exchange(shop: Shop): Promise<ShopGrant> {
    const refreshToken = this.open(shop, 'refresh');
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.refresher.refresh(refreshToken, shop.shopId);
      } catch (err) {
        const lost = err instanceof MarketplaceError && err.retryable;
        if (lost && attempt < LOST_ANSWER_TRIES) {
          this.logger.warn({ shopId: shop.shopId, attempt, code: err.code }, 'Shopee token refresh answer lost; trying again with the same refresh token');
          await sleep(200 * attempt);
          continue;
        }
        if (lost) throw err; // Shopee unreachable: the token may still be good; the next call tries again.
        const reason = err instanceof MarketplaceError ? err.code : String(err);
        this.logger.error({ shopId: shop.shopId, reason }, 'Shopee refused the refresh token: the shop needs re-authorization');
        await this.onNeedsReauth(shop.shopId, reason);
        throw new ShopNeedsReauthorization(shop.shopId);
      }
    }
  }

  private async save(shopId: string, grant: ShopGrant, fromVersion: number): Promise<void> {
    await this.ds
      .getRepository(Shop)
      .createQueryBuilder()
      .update()
      .set({ ...this.seal(grant), tokenVersion: fromVersion + 1, updatedAt: this.now() })
      .where('shop_id = :shopId', { shopId })
      .execute();
  }

  private async lock(shopId: string) {
    const deadline = this.now() + LOCK_WAIT_MS;
    for (;;) {
      const lease = await this.leases.hold(`shop-token:${shopId}`, { ttlMs: LOCK_TTL_MS, heartbeatMs: 3_000 });
      if (lease) return lease;
      if (this.now() > deadline) throw new MarketplaceError('token_lock_timeout', `shop ${shopId}: token refresh lock not free`, true);
      await sleep(50 + Math.random() * 100);
    }
  }

  private async shop(shopId: string): Promise<Shop> {
    const shop = await this.ds.getRepository(Shop).findOneBy({ shopId });
    if (!shop) throw new MarketplaceError('shop_not_linked', `shop ${shopId} is not linked`, false);
    if (shop.status === 'needs_reauth' || shop.status === 'revoked') throw new ShopNeedsReauthorization(shopId);
    return shop;
  }

  private open(shop: Shop, which: 'access' | 'refresh'): string {
    return this.box.open(which === 'access' ? shop.accessToken : shop.refreshToken, `shop-${which}:${shop.shopId}`);
  }
}
