import type Koa from 'koa';

/**
 * Security headers on every response (OWASP HTTP Headers Cheat Sheet,
 * https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Headers_Cheat_Sheet.html).
 *
 * The CSP fits what the H5 really loads: its own scripts, styles, fonts and images (the Vant icon
 * font is served from /assets, see h5/vite.config.ts), API calls to itself. Vant and Vue set inline
 * `style` attributes, hence 'unsafe-inline' for styles only. The WeCom JS-SDK (@wecom/jssdk) is
 * bundled; outside the WeCom client it talks to WeCom through a hidden frame on
 * login.work.weixin.qq.com / open.work.weixin.qq.com (https://developer.work.weixin.qq.com/document/path/90514),
 * hence those two in frame-src. Member avatars come from WeCom's image CDN (wework.qpic.cn, p.qlogo.cn).
 * Nobody may frame the app (frame-ancestors 'none'): the workbench opens it as a page, never a frame.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https://wework.qpic.cn https://*.qpic.cn https://p.qlogo.cn",
  "font-src 'self'",
  "connect-src 'self'",
  'frame-src https://login.work.weixin.qq.com https://open.work.weixin.qq.com',
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

export function securityHeaders(opts: { https: boolean }): Koa.Middleware {
  return async (ctx, next) => {
    // Set before next(): an error answer or a 404 carries them too (the error handler keeps headers).
    ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    if (opts.https) ctx.set('Strict-Transport-Security', 'max-age=15552000');
    if (ctx.path.startsWith('/api/') || ctx.path === '/api') ctx.set('Cache-Control', 'no-store');
    await next();
  };
}
