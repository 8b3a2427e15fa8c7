import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type Koa from 'koa';
import send from 'koa-send';
import { isApiPath } from './error-handler';

/**
 * Serves the built H5 (h5/dist) with history-mode fallback: any GET that is not an API, auth,
 * callback or health path and has no file gets index.html, so deep links work.
 */
export function serveH5(distDir: string): Koa.Middleware {
  const index = join(distDir, 'index.html');
  return async (ctx, next) => {
    await next();
    if (ctx.body !== undefined || ctx.status !== 404 || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return;
    if (isApiPath(ctx.path) || ctx.path === '/healthz' || ctx.path === '/readyz') return;
    if (!existsSync(index)) {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'H5 未构建：请先运行 npm run build -w h5 (the H5 bundle is not built)';
      return;
    }
    const isAsset = ctx.path.startsWith('/assets/');
    try {
      await send(ctx, ctx.path === '/' ? 'index.html' : ctx.path, { root: distDir, immutable: isAsset, maxage: isAsset ? 365 * 24 * 3600_000 : 0 });
    } catch {
      if (isAsset || /\.[a-z0-9]+$/i.test(ctx.path)) return; // a missing file stays a 404
      await send(ctx, 'index.html', { root: distDir });
    }
    if (ctx.path === '/' || !isAsset) ctx.set('Cache-Control', 'no-cache');
  };
}
