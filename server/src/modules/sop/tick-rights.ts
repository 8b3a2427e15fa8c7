import type { Actor, RoleKey } from '@shopcrew/shared';

/** The roles an actor holds that cover the shop (every role, for a checklist about no shop). */
export function rolesHeldIn(actor: Pick<Actor, 'grants'>, shopId: string | null): RoleKey[] {
  return actor.grants.filter((g) => shopId === null || g.shops === 'all' || g.shops.includes(shopId)).map((g) => g.role);
}
