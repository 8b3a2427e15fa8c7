import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type Koa from 'koa';
import send from 'koa-send';
import type { AppContext, AppState } from './context';
import { isApiPath } from './error-handler';
import { injectBootstrap, type H5BootstrapLoader } from './h5-bootstrap';

export interface ServeH5Options {
  /**
   * First-paint data for a signed-in member's page load (see h5-bootstrap.ts). It runs after the
   * session middleware (this middleware serves on the way back, after next()), so ctx.state.userid
   * is known. Without it, or when it gives null, every page load gets the plain index.html.
   */
  bootstrap?: H5BootstrapLoader;
}

const YEAR_MS = 365 * 24 * 3600_000;

/**
 * Serves the built H5 (h5/dist) with history-mode fallback: any GET that is not an API, auth,
 * callback or health path and has no file gets index.html, so deep links work.
 *
 * - /assets/* are content-hashed: cached for a year, immutable. koa-send picks the .br/.gz file the
 *   build wrote next to each one when the client accepts it (hence `Vary: Accept-Encoding`).
 * - A page (index.html) for a signed-in member carries the bootstrap JSON; that HTML is personal, so
 *   `Cache-Control: no-store, private`. Signed out, it is the plain file, `no-cache`. Both vary on
 *   Cookie, so no shared cache hands one member's page to another.
 */
export function serveH5(distDir: string, options: ServeH5Options = {}): Koa.Middleware<AppState> {
  const index = join(distDir, 'index.html');
  const readIndex = indexReader(index);

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
    const isPage = ctx.path === '/' || ctx.path === '/index.html';
    if (!isPage) {
      try {
        await send(ctx, ctx.path, { root: distDir, immutable: isAsset, maxage: isAsset ? YEAR_MS : 0 });
        ctx.vary('Accept-Encoding');
        if (!isAsset) ctx.set('Cache-Control', 'no-cache');
        return;
      } catch {
        if (isAsset || /\.[a-z0-9]+$/i.test(ctx.path)) return; // a missing file stays a 404
      }
    }

    // A page of the SPA: index.html, with the member's first data when signed in.
    const data = ctx.state.userid && options.bootstrap ? await options.bootstrap(ctx).catch(() => null) : null;
    ctx.vary('Cookie');
    if (!data) {
      await send(ctx, 'index.html', { root: distDir });
      ctx.set('Cache-Control', 'no-cache');
      return;
    }
    const html = injectBootstrap(await readIndex(), data);
    ctx.set('Cache-Control', 'no-store, private');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = compressFor(ctx, Buffer.from(html, 'utf8'));
  };
}

/** index.html, re-read only when the file changes (a rebuild while the server runs). */
function indexReader(path: string): () => Promise<string> {
  let cached: { mtimeMs: number; size: number; html: string } | null = null;
  return async () => {
    const { mtimeMs, size } = await stat(path);
    if (!cached || cached.mtimeMs !== mtimeMs || cached.size !== size) {
      cached = { mtimeMs, size, html: await readFile(path, 'utf8') };
    }
    return cached.html;
  };
}

/** A per-request body, compressed like the static files (br, else gzip) when the client accepts it. */
function compressFor(ctx: AppContext, body: Buffer): Buffer {
  ctx.vary('Accept-Encoding');
  if (body.length < 1024) return body;
  // The same preference as koa-send: br when accepted at all, else gzip.
  if (ctx.acceptsEncodings('br', 'identity') === 'br') {
    ctx.set('Content-Encoding', 'br');
    return brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } });
  }
  if (ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
    ctx.set('Content-Encoding', 'gzip');
    return gzipSync(body, { level: 6 });
  }
  return body;
}
