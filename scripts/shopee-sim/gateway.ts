// The /api/v2 gateway: common parameters in the query string, checked in the order Shopee's common error list
// implies (https://open.shopee.com/documents/v2/v2.shop.get_shop_info "Common Error Code"): partner_id → timestamp
// (Unix seconds, 5 minutes) → sign → for Shop APIs access_token and shop_id. The sign is the lowercase hex
// HMAC-SHA256 of partner_id + api_path + timestamp (+ access_token + shop_id for Shop APIs)
// (https://open.shopee.com/developer-guide/16). Then the endpoint runs and its answer is wrapped in
// {request_id, error: "", message: ""}.
import type { Context, Middleware } from 'koa';
import { AUTH_PARTNER_PATH, authPartnerPage } from './auth-page';
import type { ApiCall } from './endpoint';
import { ENDPOINTS } from './endpoints';
import { GATEWAY, ShopeeError, wrongParam } from './errors';
import { q, randomHex, readRawBody, sleep, type Query } from './http';
import { apiSign, baseString, sameHex, type ApiType } from './signing';
import type { Shop } from './shops';
import type { SimState } from './state';

export const TIMESTAMP_WINDOW_S = 5 * 60;
const UINT32 = /^\d{1,10}$/;

const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

/** Checks the common parameters; returns the calling shop for Shop APIs. */
export function verifyCommon(state: SimState, query: Query, apiPath: string, type: ApiType): Shop | undefined {
  const o = state.opts;
  const partnerId = q(query, 'partner_id');
  if (!partnerId) throw GATEWAY.noPartnerId();
  if (!UINT32.test(partnerId) || Number(partnerId) > 4294967295) throw GATEWAY.badPartnerId();
  if (Number(partnerId) !== o.partnerId) throw GATEWAY.unknownPartner();
  const ts = q(query, 'timestamp');
  if (!ts) throw GATEWAY.noTimestamp();
  if (!UINT32.test(ts) || Number(ts) > 4294967295) throw GATEWAY.badTimestamp();
  const now = state.clock.now();
  if (now - Number(ts) > TIMESTAMP_WINDOW_S) throw GATEWAY.expiredTimestamp();
  if (Number(ts) - now > TIMESTAMP_WINDOW_S) throw GATEWAY.futureTimestamp();
  const sign = q(query, 'sign');
  if (!sign) throw GATEWAY.noSign();
  if (type === 'public') {
    if (!sameHex(sign, apiSign(o.partnerKey, baseString(partnerId, apiPath, ts)))) throw GATEWAY.wrongSign();
    return undefined;
  }
  const accessToken = q(query, 'access_token');
  if (!accessToken) throw GATEWAY.noAccessToken();
  const shopIdRaw = q(query, 'shop_id');
  if (!shopIdRaw) throw GATEWAY.noShopId();
  if (!UINT32.test(shopIdRaw) || Number(shopIdRaw) > 4294967295) throw GATEWAY.badShopId();
  if (!sameHex(sign, apiSign(o.partnerKey, baseString(partnerId, apiPath, ts, accessToken, shopIdRaw)))) throw GATEWAY.wrongSign();
  const shop = state.shops.get(Number(shopIdRaw));
  if (!shop || shop.authTime === undefined || (shop.expireTime !== undefined && now >= shop.expireTime)) throw GATEWAY.shopNotLinked();
  const token = state.auth.accessToken(accessToken);
  if (!token || token.shopId !== shop.shopId) throw GATEWAY.invalidAccessToken(o.accessTokenError);
  return shop;
}

async function jsonBody(ctx: Context): Promise<Record<string, unknown>> {
  const raw = await readRawBody(ctx.req);
  if (!raw.trim()) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw wrongParam('request body is not valid json');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw wrongParam('request body should be a json object');
  return v as Record<string, unknown>;
}

export function apiMiddleware(state: SimState): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/api/v2/')) {
      await next();
      return;
    }
    const requestId = randomHex();
    const started = Date.now();
    try {
      if (state.opts.latencyMs > 0) await sleep(state.opts.latencyMs);
      if (ctx.path === AUTH_PARTNER_PATH && ctx.method === 'GET') {
        verifyCommon(state, ctx.query, ctx.path, 'public');
        authPartnerPage(ctx, state);
        return;
      }
      const ep = ENDPOINTS[ctx.path];
      if (!ep || ep.method !== ctx.method) throw GATEWAY.notFound();
      const shop = verifyCommon(state, ctx.query, ctx.path, ep.type);
      let lose: 'reset' | '502' | undefined;
      const call: ApiCall = {
        state,
        ctx,
        query: ctx.query,
        params: ep.method === 'GET' ? { ...ctx.query } : await jsonBody(ctx),
        shop,
        loseAnswer: (how) => {
          lose = how;
        },
      };
      const result = ep.handler(call);
      if (lose === 'reset') {
        ctx.respond = false;
        ctx.req.socket.destroy();
        return;
      }
      if (lose === '502') {
        ctx.status = 502;
        ctx.type = 'text/html';
        ctx.body = BAD_GATEWAY_HTML;
        return;
      }
      ctx.status = 200;
      ctx.body = { request_id: requestId, error: '', message: '', ...result };
    } catch (err) {
      const e = err instanceof ShopeeError ? err : new ShopeeError('error_server', 'Something wrong. Please try later.', 500);
      if (!(err instanceof ShopeeError)) console.error('[shopee-sim]', err);
      ctx.status = e.httpStatus;
      ctx.body = { request_id: requestId, error: e.error, message: e.message };
    } finally {
      if (state.opts.log) console.error(`[shopee-sim] ${ctx.method} ${ctx.path} ${ctx.status} ${Date.now() - started}ms`);
    }
  };
}
