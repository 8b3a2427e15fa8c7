import type Koa from 'koa';
import type { Permission } from '@shopcrew/shared';
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
