import Koa from 'koa';
import type { Container } from './container';
import { errorHandler } from './http/error-handler';
import { requestId } from './http/request-id';
import { sessionMiddleware } from './http/session';
import { buildRouter } from './http/routes';
import { serveH5 } from './http/static';
import { securityHeaders } from './http/security-headers';
import { apiCompression } from './http/compression';
import { isHttps } from './config/config';
import { routeBootstrap } from './http/h5-bootstrap';
import type { AppState } from './http/context';

/**
 * The Koa app, without listen() (API tests drive it directly). Middleware order:
 * request id → security headers → API compression → error handler → H5 static fallback → session → routes.
 */
export function createApp(c: Container): Koa<AppState> {
  const app = new Koa<AppState>({ proxy: c.config.TRUST_PROXY });
  app.keys = [c.config.SESSION_SECRET];
  app.silent = true; // the error handler logs; Koa's default stderr dump would duplicate it
  const router = buildRouter(c.routes, c.roles, c.config.PUBLIC_URL);
  app.use(requestId());
  app.use(securityHeaders({ https: isHttps(c.config) }));
  if (isHttps(c.config)) {
    // PUBLIC_URL is https, so the browser is on https whatever hop reaches us (a proxy that sends no
    // X-Forwarded-Proto, or TRUST_PROXY unset): Secure cookies are right, and the cookies package
    // would otherwise refuse to set them on a plain connection (a 500 on sign-in).
    app.use(async (ctx, next) => {
      ctx.cookies.secure = true;
      await next();
    });
  }
  app.use(apiCompression());
  app.use(errorHandler(c.logger));
  app.use(serveH5(c.h5Dist, { bootstrap: routeBootstrap(c.routes, c.roles, c.logger) }));
  app.use(sessionMiddleware(c.sessions));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
