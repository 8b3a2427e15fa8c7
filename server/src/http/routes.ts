import Router from '@koa/router';
import type Koa from 'koa';
import type { RoleService } from '../modules/roles/role.service';
import type { Access, AppContext, AppState } from './context';
import { guard } from './guard';
import { sameOriginOnly } from './same-origin';

export interface RouteDef {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  access: Access;
  /**
   * Why this state-changing route may be called from another site (only callbacks that WeCom or
   * Shopee sign). Without it, POST/PUT/PATCH/DELETE pass the same-origin check (same-origin.ts).
   */
  crossSite?: string;
  /**
   * A file upload: besides JSON it takes `multipart/form-data` (a type any page may send) when the request also carries
   * `X-Requested-With`, a header only a preflighted (same-origin) request can have.
   */
  upload?: true;
  handler: (ctx: AppContext) => Promise<void> | void;
}

/** Build a router from a route table: one line per route, each with its declared access. */
export function buildRouter(routes: RouteDef[], roles: RoleService, publicUrl: string): Router<AppState> {
  const router = new Router<AppState>();
  const sameOrigin = sameOriginOnly(publicUrl);
  const sameOriginUpload = sameOriginOnly(publicUrl, { multipart: true });
  const pass: Koa.Middleware<AppState> = (_ctx, next) => next();
  for (const r of routes) {
    router[r.method](
      r.path,
      r.crossSite ? pass : r.upload ? sameOriginUpload : sameOrigin,
      guard(r.access, roles),
      r.handler as unknown as Koa.Middleware<AppState>,
    );
  }
  return router;
}
