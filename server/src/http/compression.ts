import compress from 'koa-compress';
import type Koa from 'koa';
import { constants as zlib } from 'node:zlib';
import type { AppState } from './context';

/**
 * API answers compressed when the client accepts it (koa-compress: br, else gzip; at least 1 KB): a project of 2,000
 * tasks is 968 KB of JSON and 56 KB gzipped, which on a phone's 3G is five seconds (test/bench/projects.ts, gantt).
 * Only /api: the H5's files and pages are compressed ahead by static.ts, and callbacks answer tiny bodies.
 */
export function apiCompression(): Koa.Middleware<AppState> {
  const squeeze = compress({ threshold: 1024, br: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } }, gzip: { level: 6 }, deflate: false });
  return async (ctx, next) => {
    if (ctx.path.startsWith('/api/')) await squeeze(ctx, next);
    else await next();
  };
}
