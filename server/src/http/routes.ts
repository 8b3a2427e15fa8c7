import Router from '@koa/router';
import type Koa from 'koa';
import type { RoleService } from '../modules/roles/role.service';
import type { Access, AppContext, AppState } from './context';
import { guard } from './guard';

export interface RouteDef {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  access: Access;
  handler: (ctx: AppContext) => Promise<void> | void;
}

/** Build a router from a route table: one line per route, each with its declared access. */
export function buildRouter(routes: RouteDef[], roles: RoleService): Router<AppState> {
  const router = new Router<AppState>();
  for (const r of routes) {
    router[r.method](r.path, guard(r.access, roles), r.handler as unknown as Koa.Middleware<AppState>);
  }
  return router;
}
