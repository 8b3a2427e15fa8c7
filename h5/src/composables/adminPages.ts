import type { Permission } from '@shopcrew/shared';

/**
 * The 设置 pages and who sees them, from the permission table the server enforces
 * (shared/src/auth/roles.ts). `view` opens the page (the permission of its GET API), `entry` puts it
 * in the 设置 menus: 角色与权限 can be viewed with org:read, which nearly everyone has, so it is only
 * offered to those who may also change it or who reach 设置 for another page.
 */
export interface AdminPage {
  key: 'roles' | 'audit' | 'sync' | 'notifications' | 'shops' | 'aftersales' | 'sop' | 'automations';
  route:
    | 'settings-roles'
    | 'settings-audit'
    | 'settings-sync'
    | 'settings-notifications'
    | 'settings-shops'
    | 'settings-aftersales'
    | 'settings-sop'
    | 'automations';
  icon: string;
  color: string;
  /** Any of these opens the page. */
  view: Permission | readonly Permission[];
}

/** Who may open 店铺 (/settings/shops): GET /api/shops answers both. */
export const SHOPS_VIEW: readonly Permission[] = ['settings:manage', 'orders:read'];

export const ADMIN_PAGES: readonly AdminPage[] = [
  { key: 'roles', route: 'settings-roles', icon: 'manager-o', color: '#1989fa', view: 'org:read' },
  { key: 'audit', route: 'settings-audit', icon: 'records-o', color: '#7232dd', view: 'audit:read' },
  { key: 'sync', route: 'settings-sync', icon: 'exchange', color: '#07c160', view: 'contacts:sync' },
  { key: 'notifications', route: 'settings-notifications', icon: 'bell', color: '#ff976a', view: 'notifications:manage' },
  // 店铺 is read by whoever works orders (the shop list), changed with settings:manage (linking, 分单规则).
  { key: 'shops', route: 'settings-shops', icon: 'shop-o', color: '#ee0a24', view: SHOPS_VIEW },
  // 售后规则 (refund approval, deadlines, business hours per shop): read and changed with settings:manage only.
  { key: 'aftersales', route: 'settings-aftersales', icon: 'service-o', color: '#00a5a8', view: 'settings:manage' },
  // SOP 清单 (templates and the rules that start checklists): sop:manage (owners, 运营总监, 客服组长).
  { key: 'sop', route: 'settings-sop', icon: 'todo-list-o', color: '#7232dd', view: 'sop:manage' },
  // 自动化规则 (/automations: event or schedule → actions, dry run, run log): automation:manage (owners, 运营总监).
  { key: 'automations', route: 'automations', icon: 'fire-o', color: '#1989fa', view: 'automation:manage' },
];

/** The permissions behind the 管理 counters on home (GET /api/admin/summary): holding any of them shows that section. */
export const COUNTER_PERMISSIONS: readonly Permission[] = ['org:manage_roles', 'audit:read', 'contacts:sync'];

/** Holding any of these shows 设置 on 我的 (通知设置, 店铺, 售后规则, SOP 清单 and 自动化规则 have no home counter). */
export const ADMIN_PERMISSIONS: readonly Permission[] = [...COUNTER_PERMISSIONS, 'notifications:manage', 'settings:manage', 'sop:manage', 'automation:manage'];

export function hasAny(has: (p: Permission) => boolean, permissions: Permission | readonly Permission[]): boolean {
  return (typeof permissions === 'string' ? [permissions] : permissions).some(has);
}

/** The 设置 pages a member is offered (see above). */
export function adminPagesFor(has: (p: Permission) => boolean): AdminPage[] {
  if (!hasAny(has, ADMIN_PERMISSIONS)) return [];
  return ADMIN_PAGES.filter((page) => hasAny(has, page.view));
}
