import type Koa from 'koa';
import type { Actor, Permission } from '@shopcrew/shared';
import type { Grants } from '../modules/roles/role.service';

/** What the middleware puts on ctx.state. */
export interface AppState {
  requestId: string;
  userid?: string;
  grants?: Grants;
}
export type AppContext = Koa.ParameterizedContext<AppState>;

/** Every route declares who may call it; `guard` is the one place that checks. */
export type Access = Permission | 'authenticated' | 'public';

/** The signed-in member as an actor (after the guard ran: the route is not 'public'). */
export function actorOf(ctx: AppContext): Actor {
  if (!ctx.state.userid || !ctx.state.grants) throw new Error('actorOf: no signed-in member on this route (is it public?)');
  return { userid: ctx.state.userid, grants: ctx.state.grants.grants };
}
