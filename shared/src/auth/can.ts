import { ROLES, type Permission, type RoleKey } from './roles';

/**
 * Which shops a role applies to: every shop (also those linked later), or the listed shop ids. A
 * role binding carries one; a member holding the same role through several bindings gets the union.
 */
export type ShopScope = 'all' | readonly string[];

/** One role of a member and the shops it covers. */
export interface ScopedRole {
  role: RoleKey;
  shops: ShopScope;
}

/** Who is acting: a member (route, card click) or the system on a member's behalf (job, subscriber). */
export interface Actor {
  userid: string;
  grants: readonly ScopedRole[];
}

/** What an action touches: a shop's order, case or checklist; nothing for shop-less actions. */
export interface Resource {
  shopId?: string | null;
}

/**
 * The one authorization rule, shared by the server (route guard, card actions, jobs, subscribers) and
 * the H5 (which buttons to show): the actor holds a role that has `permission`, and, when the resource
 * belongs to a shop, that role covers the shop. Without a resource, a permission in any shop counts
 * (the list pages then filter by `shopsWith`).
 */
export function can(actor: Pick<Actor, 'grants'>, permission: Permission, resource: Resource = {}): boolean {
  const shopId = resource.shopId ?? null;
  return actor.grants.some((g) => ROLES[g.role].permissions.includes(permission) && (shopId === null || covers(g.shops, shopId)));
}

/** The shops in which the actor has `permission`: 'all', a list, or an empty list for none. */
export function shopsWith(actor: Pick<Actor, 'grants'>, permission: Permission): ShopScope {
  const scopes = actor.grants.filter((g) => ROLES[g.role].permissions.includes(permission)).map((g) => g.shops);
  return unionOf(scopes);
}

/** One grant per role, scopes merged: 'all' wins, lists are united (sorted, for stable output). */
export function mergeGrants(grants: readonly ScopedRole[]): ScopedRole[] {
  const byRole = new Map<RoleKey, ShopScope[]>();
  for (const g of grants) byRole.set(g.role, [...(byRole.get(g.role) ?? []), g.shops]);
  return [...byRole].map(([role, scopes]) => ({ role, shops: unionOf(scopes) }));
}

const covers = (scope: ShopScope, shopId: string): boolean => scope === 'all' || scope.includes(shopId);

function unionOf(scopes: readonly ShopScope[]): ShopScope {
  if (scopes.some((s) => s === 'all')) return 'all';
  return [...new Set(scopes.flatMap((s) => (s === 'all' ? [] : s)))].sort();
}
