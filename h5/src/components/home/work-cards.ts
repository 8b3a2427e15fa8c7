import type { HomeSummary, Permission } from '@shopcrew/shared';
import type { RouteLocationRaw } from 'vue-router';

/** One "我的工作" card: which count of GET /api/home it shows and who sees it. */
export interface WorkCardDef {
  key: 'unclaimed' | 'mine' | 'aftersales' | 'dueSoon' | 'checklists';
  /** Vant icon name. */
  icon: string;
  color: string;
  /** Least privilege: a card only appears for members who may act on it. */
  permission: Permission;
  count: (summary: HomeSummary) => number;
  /**
   * The page the card opens. Orders, after-sales and SOP pages arrive with their modules; until then
   * the cards are counters only.
   */
  to?: RouteLocationRaw;
}

export const WORK_CARDS: readonly WorkCardDef[] = [
  { key: 'unclaimed', icon: 'orders-o', color: '#1989fa', permission: 'orders:claim', count: (s) => s.orders.unclaimed },
  { key: 'mine', icon: 'completed-o', color: '#07c160', permission: 'orders:read', count: (s) => s.orders.mine },
  { key: 'aftersales', icon: 'service-o', color: '#ff976a', permission: 'aftersales:read', count: (s) => s.aftersales.open },
  { key: 'dueSoon', icon: 'clock-o', color: '#ee0a24', permission: 'aftersales:read', count: (s) => s.aftersales.dueSoon },
  { key: 'checklists', icon: 'todo-list-o', color: '#7232dd', permission: 'sop:read', count: (s) => s.checklists.open },
];
