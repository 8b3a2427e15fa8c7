// v2.public.get_access_token (POST /api/v2/auth/token/get) and v2.public.refresh_access_token
// (POST /api/v2/auth/access_token/get), https://open.shopee.com/documents/v2/v2.public.get_access_token and
// https://open.shopee.com/documents/v2/v2.public.refresh_access_token. Public APIs: the body carries partner_id too.
// Both answer at the top level (no `response` object). Only shop authorization is simulated (no main_account_id,
// merchant_id, supplier_id, user_id).
import { AUTH, wrongParam } from './errors';
import { optInt, reqInt, reqString, type ApiCall, type Endpoint } from './endpoint';
import { shopInfo, type Shop } from './shops';

function bodyPartner(call: ApiCall): void {
  const partnerId = reqInt(call.params, 'partner_id');
  if (partnerId !== call.state.opts.partnerId) throw wrongParam('partner_id is invalid');
}

function bodyShop(call: ApiCall, onUnknown: () => Error): Shop {
  const shopId = optInt(call.params, 'shop_id');
  if (shopId === undefined) {
    if (['main_account_id', 'merchant_id', 'supplier_id', 'user_id'].some((k) => call.params[k] !== undefined)) {
      throw wrongParam('only shop_id is supported by this simulator');
    }
    throw wrongParam('shop_id is required');
  }
  const shop = call.state.shops.get(shopId);
  if (!shop) throw onUnknown();
  return shop;
}

export const AUTH_ENDPOINTS: Record<string, Endpoint> = {
  '/api/v2/auth/token/get': {
    method: 'POST',
    type: 'public',
    handler: (call) => {
      const code = reqString(call.params, 'code');
      bodyPartner(call);
      const shop = bodyShop(call, AUTH.codeShopMismatch);
      const pair = call.state.auth.exchangeCode(code, shop);
      // Field set as observed from the live API in 2025 (the lists are present for a shop authorization too).
      return { ...pair, merchant_id_list: [], shop_id_list: [shop.shopId], supplier_id_list: [], user_id_list: [shop.userId] };
    },
  },
  '/api/v2/auth/access_token/get': {
    method: 'POST',
    type: 'public',
    handler: (call) => {
      const refreshToken = reqString(call.params, 'refresh_token');
      bodyPartner(call);
      const shop = bodyShop(call, AUTH.refreshTokenShopMismatch);
      const stats = call.state.auth.stats(shop.shopId);
      stats.calls++;
      let pair;
      try {
        pair = call.state.auth.refreshPair(refreshToken, shop);
      } catch (err) {
        stats.refused++;
        throw err;
      }
      stats.succeeded++;
      const lose = call.state.loseRefresh.get(shop.shopId);
      if (lose) {
        // The refresh happened (the old refresh token is consumed) but the caller never sees the new pair.
        call.state.loseRefresh.delete(shop.shopId);
        stats.lost++;
        call.loseAnswer(lose);
      }
      return { partner_id: call.state.opts.partnerId, shop_id: shop.shopId, ...pair };
    },
  },
  // https://open.shopee.com/documents/v2/v2.shop.get_shop_info: fields at the top level, as in the official example.
  '/api/v2/shop/get_shop_info': {
    method: 'GET',
    type: 'shop',
    handler: (call) => shopInfo(call.shop!),
  },
};
