import type Koa from 'koa';
import { ForbiddenError } from '../errors';
import type { AppState } from './context';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for every state-changing request (OWASP "Verifying Origin With Standard Headers" and
 * "Fetch Metadata", https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html).
 *
 * SameSite=Lax is not enough: a page on another port of the same host is *same-site*, so the browser
 * sends the session cookie with its `fetch(..., {mode:'no-cors'})` or `<form enctype="text/plain">`.
 * Two independent checks close that:
 *  1. the request comes from our own origin: `Origin` equals PUBLIC_URL's origin, or the browser
 *     says `Sec-Fetch-Site: same-origin` (pages cannot forge either header; this also admits the
 *     Vite dev server, which proxies from its own origin);
 *  2. the body is declared `application/json`, which a cross-origin page can only send after a CORS
 *     preflight this server never answers.
 * Routes that WeCom or Shopee call (signed callbacks) opt out in their route table with a reason.
 */
export function sameOriginOnly(publicUrl: string, opts: { multipart?: boolean } = {}): Koa.Middleware<AppState> {
  const publicOrigin = new URL(publicUrl).origin;
  return async (ctx, next) => {
    if (SAFE_METHODS.has(ctx.method)) {
      await next();
      return;
    }
    const origin = ctx.get('origin');
    const fetchSite = ctx.get('sec-fetch-site');
    if (origin !== publicOrigin && fetchSite !== 'same-origin') {
      throw new ForbiddenError(
        '请求来源不受信任 (cross-site request refused: Origin must be the app itself)',
        { origin: origin || null, secFetchSite: fetchSite || null },
        'cross_site_request',
      );
    }
    // The declared type, body or not (a DELETE has none): Koa's ctx.is() answers null without a body.
    // An upload route also takes a multipart body, with a custom header that (like JSON) needs a preflight cross-site.
    const upload = opts.multipart === true && ctx.request.type === 'multipart/form-data' && ctx.get('x-requested-with') !== '';
    if (ctx.request.type !== 'application/json' && !upload) {
      throw new ForbiddenError(
        '请求必须是 JSON (state-changing requests must send Content-Type: application/json)',
        { contentType: ctx.get('content-type') || null },
        'json_required',
      );
    }
    await next();
  };
}
