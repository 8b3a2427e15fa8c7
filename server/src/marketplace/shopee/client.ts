import type { Logger } from '../../lib/logger';
import { MarketplaceError, type ShopGrant } from '../types';
import { shopeeSign } from './sign';

export interface ShopeeCredentials {
  partnerId: string;
  partnerKey: string;
  /** SHOPEE_API_BASE, e.g. https://partner.shopeemobile.com (no trailing slash). */
  apiBase: string;
}

type Query = Record<string, string | number | undefined>;

/** Every Shopee v2 answer: `error` is '' on success (https://open.shopee.com/developer-guide/16). */
interface Envelope {
  request_id?: string;
  error?: string;
  message?: string;
  response?: unknown;
  [field: string]: unknown;
}

/** Platform errors worth another try later: Shopee's own server trouble and throttling. */
const RETRYABLE = new Set(['error_server', 'error_busy', 'error_inner', 'error_network', 'error_too_many_request', 'error_rate_limit']);

/**
 * The HTTP side of Shopee Open Platform v2: signing per API type, common parameters in the query string, request
 * parameters in the query (GET) or a JSON body (POST), and one error shape. Never logs tokens or keys.
 */
export class ShopeeClient {
  constructor(
    private readonly creds: ShopeeCredentials,
    private readonly logger: Logger,
    private readonly opts: { timeoutMs?: number; now?: () => number } = {},
  ) {}

  /** The authorization link (a Public API URL) a seller opens to link a shop; valid 5 minutes (developer-guide/20). */
  authPartnerUrl(redirect: string): string {
    return this.url('/api/v2/shop/auth_partner', { ...this.common('/api/v2/shop/auth_partner'), redirect });
  }

  /** First token pair from the redirect's single-use code (10 minutes). */
  async tokenGet(code: string, shopId: string): Promise<ShopGrant> {
    const path = '/api/v2/auth/token/get';
    const body = await this.call('POST', path, this.common(path), { code, partner_id: Number(this.creds.partnerId), shop_id: Number(shopId) });
    return this.grant(shopId, body);
  }

  /** A new pair for the single-use refresh token; the old refresh token is dead once Shopee has answered. */
  async refresh(refreshToken: string, shopId: string): Promise<ShopGrant> {
    const path = '/api/v2/auth/access_token/get';
    const body = await this.call('POST', path, this.common(path), {
      refresh_token: refreshToken,
      partner_id: Number(this.creds.partnerId),
      shop_id: Number(shopId),
    });
    return this.grant(shopId, body);
  }

  /** A Shop API call (signed with the shop's access token); answers the `response` object. */
  async shop<T>(method: 'GET' | 'POST', path: string, shop: { shopId: string; accessToken: string }, params: Query | object = {}): Promise<T> {
    const common = { ...this.common(path, shop), access_token: shop.accessToken, shop_id: shop.shopId };
    const body = method === 'GET' ? await this.call('GET', path, { ...common, ...(params as Query) }) : await this.call('POST', path, common, params);
    // Most shop APIs answer inside `response`; a few (get_shop_info) put their fields at the top level.
    return (body.response ?? body) as T;
  }

  /** A partner-level (Public API signed) call, e.g. push/get_lost_push_message. */
  async partner<T>(method: 'GET' | 'POST', path: string, params: Query | object = {}): Promise<T> {
    const common = this.common(path);
    const body = method === 'GET' ? await this.call('GET', path, { ...common, ...(params as Query) }) : await this.call('POST', path, common, params);
    return (body.response ?? body) as T;
  }

  private common(path: string, shop?: { shopId: string; accessToken: string }): Query {
    const timestamp = Math.floor((this.opts.now ?? Date.now)() / 1000);
    const parts = [this.creds.partnerId, path, timestamp, ...(shop ? [shop.accessToken, shop.shopId] : [])];
    return { partner_id: this.creds.partnerId, timestamp, sign: shopeeSign(this.creds.partnerKey, parts) };
  }

  private url(path: string, query: Query): string {
    const u = new URL(`${this.creds.apiBase}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  private async call(method: 'GET' | 'POST', path: string, query: Query, body?: object): Promise<Envelope> {
    let res: Response;
    try {
      res = await fetch(this.url(path, query), {
        method,
        headers: body ? { 'content-type': 'application/json' } : undefined,
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      // Sent or not, nobody knows: the caller decides whether that may be retried (a refresh is, with the same token).
      throw new MarketplaceError('network', `Shopee ${path}: ${(err as Error).message}`, true);
    }
    const text = await res.text();
    let parsed: Envelope;
    try {
      parsed = JSON.parse(text) as Envelope;
    } catch {
      throw new MarketplaceError(`http_${res.status}`, `Shopee ${path}: HTTP ${res.status} without a JSON body`, res.status >= 500 || res.status === 429);
    }
    if (parsed.error) {
      const retryable = RETRYABLE.has(parsed.error) || res.status >= 500 || res.status === 429;
      this.logger.debug({ path, error: parsed.error, requestId: parsed.request_id }, 'Shopee API error');
      throw new MarketplaceError(parsed.error, `Shopee ${path}: ${parsed.error} ${parsed.message ?? ''}`.trim(), retryable, parsed.request_id ?? null);
    }
    if (!res.ok) throw new MarketplaceError(`http_${res.status}`, `Shopee ${path}: HTTP ${res.status}`, res.status >= 500 || res.status === 429);
    return parsed;
  }

  private grant(shopId: string, body: Envelope): ShopGrant {
    const access = body['access_token'];
    const refresh = body['refresh_token'];
    const expireIn = Number(body['expire_in'] ?? 14_400);
    if (typeof access !== 'string' || typeof refresh !== 'string') throw new MarketplaceError('bad_response', 'Shopee token answer without tokens', false);
    return { shopId, accessToken: access, refreshToken: refresh, accessExpiresAt: (this.opts.now ?? Date.now)() + expireIn * 1000 };
  }
}

/** Shopee's answer that the access token is no longer good (expired or replaced): refresh and try once more. */
export function isAccessTokenError(err: unknown): boolean {
  return err instanceof MarketplaceError && (/acc?ess_token/i.test(err.code) || (err.code === 'error_auth' && /access.?token/i.test(err.message)));
}
