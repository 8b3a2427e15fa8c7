// The authorization page behind https://partner.shopeemobile.com/api/v2/shop/auth_partner (a Public-API-signed link,
// https://open.shopee.com/developer-guide/20 step 1). The real page asks the seller to log in and confirm; here every
// shop of the simulator is one link straight to `redirect` + code + shop_id (step 2), each with a fresh single-use
// code valid for 10 minutes.
import type { Context } from 'koa';
import { wrongParam } from './errors';
import { appendQuery, escapeHtml, q } from './http';
import type { SimState } from './state';

export const AUTH_PARTNER_PATH = '/api/v2/shop/auth_partner';

export function authPartnerPage(ctx: Context, state: SimState): void {
  const redirect = q(ctx.query, 'redirect');
  if (!redirect) throw wrongParam('redirect is required');
  const shops = [...state.shops.values()];
  const items = shops
    .map((shop) => {
      const href = appendQuery(redirect, { code: state.auth.issueCode(shop.shopId), shop_id: shop.shopId });
      return `<li><a href="${escapeHtml(href)}">${escapeHtml(shop.name)}</a> <small>${shop.region} · shop_id ${shop.shopId}</small></li>`;
    })
    .join('\n');
  ctx.status = 200;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shopee 模拟器 – 授权店铺</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}h1{color:#ee4d2d;font-size:1.3rem}
li{margin:.6rem 0}a{color:#ee4d2d;font-weight:600}small{color:#777}</style></head>
<body><h1>Shopee 模拟器 – 授权店铺</h1>
<p>Partner ${state.opts.partnerId} 请求授权。选择要授权的店铺：</p>
${shops.length ? `<ul>\n${items}\n</ul>` : '<p>模拟器里还没有店铺（sim.addShop）。</p>'}
</body></html>`;
}
