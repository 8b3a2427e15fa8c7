// Authorization codes and tokens, with the lifetimes of https://open.shopee.com/developer-guide/20:
// code 10 minutes and single use; access_token 4 hours (the previous one stays valid 5 minutes after a refresh);
// refresh_token 30 days and single use; the shop's authorization 365 days. Re-authorizing resets both tokens.
import type { SimClock } from './clock';
import { AUTH } from './errors';
import { randomHex } from './http';
import { AUTHORIZATION_DAYS, type Shop } from './shops';

export const CODE_TTL_S = 10 * 60;
export const ACCESS_TTL_S = 4 * 3600;
export const REFRESH_TTL_S = 30 * 86400;
export const ACCESS_GRACE_AFTER_REFRESH_S = 5 * 60;

interface CodeRecord {
  shopId: number;
  issuedAt: number;
  used: boolean;
}

export interface AccessTokenRecord {
  token: string;
  shopId: number;
  expiresAt: number;
}

interface RefreshTokenRecord {
  shopId: number;
  expiresAt: number;
  used: boolean;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expire_in: number;
}

export interface RefreshStats {
  /** Every auth/access_token/get call naming this shop_id. */
  calls: number;
  succeeded: number;
  refused: number;
  /** Refreshes performed whose answer the simulator destroyed (loseNextRefreshResponse). */
  lost: number;
}

export class AuthStore {
  private readonly codes = new Map<string, CodeRecord>();
  private readonly access = new Map<string, AccessTokenRecord>();
  private readonly refresh = new Map<string, RefreshTokenRecord>();
  readonly refreshStats = new Map<number, RefreshStats>();

  constructor(private readonly clock: SimClock) {}

  issueCode(shopId: number): string {
    const code = randomHex();
    this.codes.set(code, { shopId, issuedAt: this.clock.now(), used: false });
    return code;
  }

  /** v2.public.get_access_token: the code's first use wins; the access token's 4 h count from the authorization. */
  exchangeCode(code: string, shop: Shop): TokenPair {
    const rec = this.codes.get(code);
    const now = this.clock.now();
    if (!rec || rec.used || now >= rec.issuedAt + CODE_TTL_S) throw AUTH.invalidCode();
    if (rec.shopId !== shop.shopId) throw AUTH.codeShopMismatch();
    rec.used = true;
    this.revokeShop(shop.shopId);
    shop.authTime = rec.issuedAt;
    shop.expireTime = rec.issuedAt + AUTHORIZATION_DAYS * 86400;
    return this.issuePair(shop.shopId, rec.issuedAt + ACCESS_TTL_S);
  }

  /** v2.public.refresh_access_token: single-use refresh token; the old access token keeps 5 minutes at most. */
  refreshPair(refreshToken: string, shop: Shop): TokenPair {
    const rec = this.refresh.get(refreshToken);
    const now = this.clock.now();
    if (!rec || rec.used) throw AUTH.invalidRefreshToken();
    if (rec.shopId !== shop.shopId) throw AUTH.refreshTokenShopMismatch();
    if (now >= rec.expiresAt) throw AUTH.refreshTokenExpired();
    if (shop.expireTime !== undefined && now >= shop.expireTime) throw AUTH.shopAccessExpired();
    rec.used = true;
    for (const t of this.access.values()) {
      if (t.shopId === shop.shopId) t.expiresAt = Math.min(t.expiresAt, now + ACCESS_GRACE_AFTER_REFRESH_S);
    }
    return this.issuePair(shop.shopId, now + ACCESS_TTL_S);
  }

  /** The live access token record, or undefined when unknown or expired. */
  accessToken(token: string): AccessTokenRecord | undefined {
    const rec = this.access.get(token);
    return rec && this.clock.now() < rec.expiresAt ? rec : undefined;
  }

  /** Expire every access token of the shop now; returns how many were live. */
  expireAccessTokens(shopId: number): number {
    const now = this.clock.now();
    let n = 0;
    for (const t of this.access.values()) {
      if (t.shopId === shopId && t.expiresAt > now) {
        t.expiresAt = now;
        n++;
      }
    }
    return n;
  }

  stats(shopId: number): RefreshStats {
    let s = this.refreshStats.get(shopId);
    if (!s) this.refreshStats.set(shopId, (s = { calls: 0, succeeded: 0, refused: 0, lost: 0 }));
    return s;
  }

  private revokeShop(shopId: number): void {
    for (const [k, t] of this.access) if (t.shopId === shopId) this.access.delete(k);
    for (const r of this.refresh.values()) if (r.shopId === shopId) r.used = true;
  }

  private issuePair(shopId: number, accessExpiresAt: number): TokenPair {
    const now = this.clock.now();
    const access_token = randomHex();
    const refresh_token = randomHex();
    this.access.set(access_token, { token: access_token, shopId, expiresAt: accessExpiresAt });
    this.refresh.set(refresh_token, { shopId, expiresAt: now + REFRESH_TTL_S, used: false });
    return { access_token, refresh_token, expire_in: Math.max(0, accessExpiresAt - now) };
  }
}
