import { can, type Actor, type Permission, type Resource } from '@shopcrew/shared';
import { ForbiddenError } from '../../errors';
import type { RoleService } from './role.service';

/**
 * Authorization outside HTTP: a card click, a job or an event subscriber asks the same question the
 * route guard asks, with the same rule (`can` in shared/src/auth/can.ts, which the H5 uses too).
 *
 *   const actor = await authz.actor(userid);
 *   authz.require(actor, 'orders:claim', { shopId: order.shopId });
 */
export class Authorizer {
  constructor(private readonly roles: Pick<RoleService, 'grantsOf'>) {}

  /** The member as an actor: their roles, each with the shops it covers (read fresh, never cached). */
  async actor(userid: string): Promise<Actor> {
    return { userid, grants: (await this.roles.grantsOf(userid)).grants };
  }

  can(actor: Actor, permission: Permission, resource?: Resource): boolean {
    return can(actor, permission, resource);
  }

  /** Throws 403 `forbidden` naming the permission (and the shop) the actor lacks. */
  require(actor: Actor, permission: Permission, resource?: Resource): void {
    if (can(actor, permission, resource)) return;
    const shopId = resource?.shopId ?? null;
    const message = shopId ? `没有该店铺的权限 (permission ${permission} required in shop ${shopId})` : `没有权限 (permission ${permission} required)`;
    throw new ForbiddenError(message, shopId ? { required: permission, shopId } : { required: permission });
  }
}
