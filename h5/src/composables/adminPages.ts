import type { Permission } from '@shopcrew/shared';

/**
 * The 设置 pages and who sees them, from the permission table the server enforces
 * (shared/src/auth/roles.ts). `view` opens the page (the permission of its GET API), `entry` puts it
 * in the 设置 menus: 角色与权限 can be viewed with org:read, which nearly everyone has, so it is only
 * offered to those who may also change it or who reach 设置 for another page.
 */
export interface AdminPage {
  key: 'roles' | 'audit' | 'sync' | 'notifications';
  route: 'settings-roles' | 'settings-audit' | 'settings-sync' | 'settings-notifications';
  icon: string;
  color: string;
  view: Permission;
}

export const ADMIN_PAGES: readonly AdminPage[] = [
  { key: 'roles', route: 'settings-roles', icon: 'manager-o', color: '#1989fa', view: 'org:read' },
  { key: 'audit', route: 'settings-audit', icon: 'records-o', color: '#7232dd', view: 'audit:read' },
  { key: 'sync', route: 'settings-sync', icon: 'exchange', color: '#07c160', view: 'contacts:sync' },
  { key: 'notifications', route: 'settings-notifications', icon: 'bell', color: '#ff976a', view: 'notifications:manage' },
];

/** The permissions behind the 管理 counters on home (GET /api/admin/summary): holding any of them shows that section. */
export const COUNTER_PERMISSIONS: readonly Permission[] = ['org:manage_roles', 'audit:read', 'contacts:sync'];

/** Holding any of these shows 设置 on 我的 (通知设置 has no home counter). */
export const ADMIN_PERMISSIONS: readonly Permission[] = [...COUNTER_PERMISSIONS, 'notifications:manage'];

export function hasAny(has: (p: Permission) => boolean, permissions: Permission | readonly Permission[]): boolean {
  return (typeof permissions === 'string' ? [permissions] : permissions).some(has);
}

/** The 设置 pages a member is offered (see above). */
export function adminPagesFor(has: (p: Permission) => boolean): AdminPage[] {
  if (!hasAny(has, ADMIN_PERMISSIONS)) return [];
  return ADMIN_PAGES.filter((page) => has(page.view));
}
