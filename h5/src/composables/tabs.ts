import type { Permission } from '@shopcrew/shared';
import { hasAny } from './adminPages';

/**
 * The bottom tab bar, from the route table: a route with `meta.tab` is a tab, shown to members who
 * may open it (`meta.permission`, the same check as modules/permission-guard.ts). The bar holds at
 * most MAX_TABS: pinned tabs (我的) always, the others by `order` while they fit; the rest open from
 * the 更多应用 grid on home. A module's H5 part adds its page with a `meta.tab` and nothing else.
 * Pure (no Vue), so test/unit/h5/tabs.test.ts runs it on route lists of its own.
 */
export interface TabMeta {
  /** Stable key (`data-tab`, the active tab). */
  key: string;
  /** Vant icon name. */
  icon: string;
  /** i18n key of the label. */
  label: string;
  /** Place in the bar and the grid, low first: use TAB_ORDER. */
  order: number;
  /** Always in the bar, whatever else competes for room (我的: sign-out and language live there). */
  pinned?: boolean;
}

/**
 * The order in which tabs get a place in the bar: 首页, 订单, 售后 (`cases`), 清单, 项目, 数据, 团队, and 我的
 * always last. Gaps leave room for tabs not planned yet.
 */
export const TAB_ORDER = { home: 10, orders: 20, cases: 30, checklists: 40, projects: 50, data: 60, team: 70, me: 1000 } as const;

/** WeCom's H5 convention and Vant's layout both stop at five. */
export const MAX_TABS = 5;

/** What the selection reads from a route record (vue-router's RouteRecordNormalized fits). */
export interface TabRoute {
  path: string;
  meta: { tab?: TabMeta; permission?: Permission | readonly Permission[] };
}

export interface Tab extends TabMeta {
  /** Where the tab opens. */
  path: string;
}

export interface TabSelection {
  /** In the bar, by order (pinned ones included). */
  bar: Tab[];
  /** The member's other tabs, by order: the 更多应用 grid on home. */
  more: Tab[];
}

/** The tabs `routes` offer, split into bar and grid for a member who holds the permissions `may` says. */
export function selectTabs(routes: readonly TabRoute[], may: (permission: Permission) => boolean, max = MAX_TABS): TabSelection {
  const seen = new Set<string>();
  const tabs: Tab[] = [];
  for (const route of routes) {
    const tab = route.meta.tab;
    if (!tab) continue;
    if (seen.has(tab.key)) throw new Error(`two routes declare the tab "${tab.key}"`);
    seen.add(tab.key);
    if (route.meta.permission && !hasAny(may, route.meta.permission)) continue;
    tabs.push({ ...tab, path: route.path });
  }
  tabs.sort((a, b) => a.order - b.order);
  const pinned = tabs.filter((t) => t.pinned);
  const room = Math.max(0, max - pinned.length);
  const others = tabs.filter((t) => !t.pinned);
  const inBar = new Set([...pinned, ...others.slice(0, room)]);
  return { bar: tabs.filter((t) => inBar.has(t)), more: others.slice(room) };
}
