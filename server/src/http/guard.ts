import type Koa from 'koa';
import { can } from '@shopcrew/shared';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { RoleService } from '../modules/roles/role.service';
import type { Access, AppState } from './context';

/** The one permission check: signed in, then (unless 'authenticated') the declared permission. */
export function guard(access: Access, roles: RoleService): Koa.Middleware<AppState> {
  return async (ctx, next) => {
    if (access === 'public') {
      await next();
      return;
    }
    const userid = ctx.state.userid;
    if (!userid) throw new UnauthenticatedError();
    ctx.state.grants ??= await roles.grantsOf(userid);
    // Route level: the permission in at least one shop; handlers check a shop's resource with
    // actorOf(ctx) and the Authorizer (the same `can` the H5 uses).
    if (access !== 'authenticated' && !can(ctx.state.grants, access)) {
      throw new ForbiddenError(`没有权限 (permission ${access} required)`, { required: access });
    }
    await next();
  };
}
