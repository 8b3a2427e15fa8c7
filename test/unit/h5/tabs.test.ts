/**
 * The bottom tab bar's selection (h5/src/composables/tabs.ts) on route lists of its own: the tabs
 * arrive with the modules' pages (orders, after-sales, checklists, projects, data), so the rule is
 * tested here for the routes to come; test/e2e/workbench.e2e.test.ts checks the real route table.
 */
import { ROLES, type Permission, type RoleKey } from '@shopcrew/shared';
import { MAX_TABS, selectTabs, TAB_ORDER, type TabMeta, type TabRoute } from '../../../h5/src/composables/tabs';

const tab = (key: keyof typeof TAB_ORDER, permission?: TabRoute['meta']['permission'], extra: Partial<TabMeta> = {}): TabRoute => ({
  path: key === 'home' ? '/' : `/${key}`,
  meta: { tab: { key, icon: `${key}-o`, label: `nav.${key}`, order: TAB_ORDER[key], ...extra }, ...(permission ? { permission } : {}) },
});

/** The app once every planned module has its page, listed in no particular order (modules add routes where they like). */
const ROUTES: TabRoute[] = [
  tab('me', undefined, { pinned: true }),
  tab('team', 'org:read'),
  { path: '/team/:departmentId', meta: { permission: 'org:read' } }, // a page under a tab is not a tab
  tab('data', ['marketing:read', 'finance:read']),
  tab('orders', 'orders:read'),
  { path: '/settings', meta: { permission: 'audit:read' } },
  tab('home'),
  tab('projects', 'sop:manage'),
  tab('cases', 'aftersales:read'),
  tab('checklists', 'sop:run'),
];

const keysFor = (may: (p: Permission) => boolean, routes = ROUTES) => {
  const { bar, more } = selectTabs(routes, may);
  return { bar: bar.map((t) => t.key), more: more.map((t) => t.key) };
};
const role = (key: RoleKey) => (p: Permission) => ROLES[key].permissions.includes(p);

describe('selectTabs', () => {
  test('a member with 6 eligible tabs gets 4 + 我的 in the bar, the rest in the grid, each in TAB_ORDER', () => {
    // cs_lead: home, orders, cases (售后), checklists, projects (sop:manage), team — and 我的.
    expect(keysFor(role('cs_lead'))).toEqual({ bar: ['home', 'orders', 'cases', 'checklists', 'me'], more: ['projects', 'team'] });
  });

  test('the owner may open everything: the first four by order + 我的, then 项目, 数据, 团队 in the grid', () => {
    const { bar, more } = selectTabs(ROUTES, role('owner'));
    expect(bar.map((t) => t.key)).toEqual(['home', 'orders', 'cases', 'checklists', 'me']);
    expect(more.map((t) => t.key)).toEqual(['projects', 'data', 'team']);
    expect(bar).toHaveLength(MAX_TABS);
    expect(bar[1]).toEqual({ key: 'orders', icon: 'orders-o', label: 'nav.orders', order: TAB_ORDER.orders, path: '/orders' });
  });

  test('members whose tabs fit get them all in the bar and no grid', () => {
    expect(keysFor(role('designer'))).toEqual({ bar: ['home', 'checklists', 'team', 'me'], more: [] });
    expect(keysFor(role('marketing'))).toEqual({ bar: ['home', 'checklists', 'data', 'team', 'me'], more: [] });
    // finance holds one of the two permissions 数据 accepts.
    expect(keysFor(role('finance'))).toEqual({ bar: ['home', 'cases', 'data', 'team', 'me'], more: [] });
  });

  test('a member without any role still has 首页 and 我的', () => {
    expect(keysFor(() => false)).toEqual({ bar: ['home', 'me'], more: [] });
  });

  test('today’s tabs (首页, 团队, 我的) all fit', () => {
    const today = ROUTES.filter((r) => ['home', 'team', 'me', undefined].includes(r.meta.tab?.key));
    expect(keysFor(role('cs_agent'), today)).toEqual({ bar: ['home', 'team', 'me'], more: [] });
  });

  test('pinned tabs keep their place whatever the limit; the limit is a parameter', () => {
    const { bar, more } = selectTabs(ROUTES, role('owner'), 3);
    expect(bar.map((t) => t.key)).toEqual(['home', 'orders', 'me']);
    expect(more.map((t) => t.key)).toEqual(['cases', 'checklists', 'projects', 'data', 'team']);
  });

  test('two routes declaring one tab key is a mistake, not a silent pick', () => {
    expect(() => selectTabs([...ROUTES, tab('orders', 'orders:claim')], role('owner'))).toThrow('two routes declare the tab "orders"');
  });
});
