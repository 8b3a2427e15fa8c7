import { createRouter, createWebHistory, START_LOCATION, type RouteRecordRaw, type Router } from 'vue-router';
import HomePage from './pages/index.vue';
import { useHomeStore } from './stores/home';
import { ADMIN_PERMISSIONS, SHOPS_VIEW } from './composables/adminPages';
import { TAB_ORDER } from './composables/tabs';

/**
 * The route table. Home is part of the entry chunk (it is what most people open);
 * every other page is a lazy chunk. Pages hold no logic: they read stores and composables.
 * `meta.public` routes are reachable without a session (see modules/auth-guard.ts); `meta.permission`
 * routes only with one of those permissions (modules/permission-guard.ts, the server's table).
 * `meta.tab` makes a page a tab of the bottom bar for the members who may open it (composables/tabs.ts:
 * at most five, in TAB_ORDER; the rest go to the 更多应用 grid on home), `meta.underTab` keeps the bar
 * on a page inside a tab's section. A module's pages come with both; nothing else lists the tabs.
 */
export const routes: RouteRecordRaw[] = [
  {
    path: '/',
    name: 'home',
    component: HomePage,
    meta: {
      title: 'nav.home',
      tab: { key: 'home', icon: 'wap-home-o', label: 'nav.home', order: TAB_ORDER.home },
      prefetch: () => void useHomeStore().load({ redirectOn401: false }),
    },
  },
  {
    path: '/orders',
    name: 'orders',
    component: () => import('./pages/orders/index.vue'),
    meta: {
      title: 'nav.orders',
      permission: 'orders:read',
      tab: { key: 'orders', icon: 'orders-o', label: 'nav.orders', order: TAB_ORDER.orders },
    },
  },
  {
    path: '/orders/:orderSn',
    name: 'order',
    component: () => import('./pages/orders/[orderSn].vue'),
    props: (route) => ({ orderSn: String(route.params.orderSn) }),
    meta: { title: 'orders.detail.title', permission: 'orders:read', underTab: 'orders' },
  },
  {
    path: '/orders/:orderSn/ship',
    name: 'order-ship',
    component: () => import('./pages/orders/[orderSn]/ship.vue'),
    props: (route) => ({ orderSn: String(route.params.orderSn) }),
    meta: { title: 'orders.ship.title', permission: 'orders:read' },
  },
  {
    path: '/cases',
    name: 'cases',
    component: () => import('./pages/cases/index.vue'),
    meta: {
      title: 'nav.cases',
      permission: 'aftersales:read',
      tab: { key: 'cases', icon: 'service-o', label: 'nav.cases', order: TAB_ORDER.cases },
    },
  },
  {
    path: '/cases/new',
    name: 'case-new',
    component: () => import('./pages/cases/new.vue'),
    meta: { title: 'cases.create.title', permission: 'aftersales:handle' },
  },
  {
    path: '/cases/:id(\\d+)',
    name: 'case',
    component: () => import('./pages/cases/[id].vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'cases.detail.title', permission: 'aftersales:read', underTab: 'cases' },
  },
  {
    path: '/checklists',
    name: 'checklists',
    component: () => import('./pages/checklists/index.vue'),
    meta: {
      title: 'nav.checklists',
      permission: 'sop:read',
      tab: { key: 'checklists', icon: 'todo-list-o', label: 'nav.checklists', order: TAB_ORDER.checklists },
    },
  },
  {
    path: '/checklists/:id(\\d+)',
    name: 'checklist',
    component: () => import('./pages/checklists/[id].vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'sop.run.title', permission: 'sop:read', underTab: 'checklists' },
  },
  {
    path: '/projects',
    name: 'projects',
    component: () => import('./pages/projects/index.vue'),
    meta: {
      title: 'nav.projects',
      permission: 'projects:read',
      tab: { key: 'projects', icon: 'cluster-o', label: 'nav.projects', order: TAB_ORDER.projects },
    },
  },
  {
    path: '/projects/new',
    name: 'project-new',
    component: () => import('./pages/projects/new.vue'),
    meta: { title: 'projects.create.title', permission: 'projects:manage' },
  },
  {
    path: '/projects/:id(\\d+)',
    name: 'project',
    component: () => import('./pages/projects/[id].vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'projects.detail.title', permission: 'projects:read', underTab: 'projects' },
  },
  {
    // Home's 我的任务 card (the projects module's counter links here).
    path: '/tasks/mine',
    name: 'my-tasks',
    component: () => import('./pages/tasks/mine.vue'),
    meta: { title: 'projects.mine.title', permission: 'projects:read', underTab: 'projects' },
  },
  {
    path: '/tasks/:id(\\d+)',
    name: 'task',
    component: () => import('./pages/tasks/[id].vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'projects.task.title', permission: 'projects:read', underTab: 'projects' },
  },
  {
    path: '/search',
    name: 'search',
    component: () => import('./pages/search.vue'),
    meta: { title: 'projects.search.title', permission: 'projects:read', underTab: 'projects' },
  },
  {
    // 数据: the figures (its charts, ECharts, are a lazy chunk of this page only).
    path: '/data',
    name: 'data',
    component: () => import('./pages/data/index.vue'),
    meta: {
      title: 'nav.data',
      permission: 'metrics:read',
      tab: { key: 'data', icon: 'chart-trending-o', label: 'nav.data', order: TAB_ORDER.data },
    },
  },
  {
    // A handover's link from WeCom (a lead's message when a member leaves): any signed-in member; the server checks.
    path: '/handovers/:userid',
    name: 'handover',
    component: () => import('./pages/handovers/[userid].vue'),
    props: (route) => ({ userid: String(route.params.userid) }),
    meta: { title: 'sop.handover.title' },
  },
  {
    path: '/team',
    name: 'team',
    component: () => import('./pages/team/index.vue'),
    meta: { title: 'nav.team', permission: 'org:read', tab: { key: 'team', icon: 'friends-o', label: 'nav.team', order: TAB_ORDER.team } },
  },
  {
    path: '/team/:departmentId(\\d+)',
    name: 'team-department',
    component: () => import('./pages/team/[departmentId].vue'),
    props: (route) => ({ departmentId: Number(route.params.departmentId) }),
    meta: { title: 'team.departmentTitle', permission: 'org:read', underTab: 'team' },
  },
  {
    path: '/me',
    name: 'me',
    component: () => import('./pages/me.vue'),
    meta: { title: 'nav.me', tab: { key: 'me', icon: 'user-o', label: 'nav.me', order: TAB_ORDER.me, pinned: true } },
  },
  {
    path: '/settings',
    name: 'settings',
    component: () => import('./pages/settings/index.vue'),
    meta: { title: 'settings.title', permission: ADMIN_PERMISSIONS },
  },
  {
    path: '/settings/roles',
    name: 'settings-roles',
    component: () => import('./pages/settings/roles.vue'),
    meta: { title: 'settings.pages.roles.title', permission: 'org:read' },
  },
  {
    path: '/settings/audit',
    name: 'settings-audit',
    component: () => import('./pages/settings/audit.vue'),
    meta: { title: 'settings.pages.audit.title', permission: 'audit:read' },
  },
  {
    path: '/settings/sync',
    name: 'settings-sync',
    component: () => import('./pages/settings/sync.vue'),
    meta: { title: 'settings.pages.sync.title', permission: 'contacts:sync' },
  },
  {
    path: '/settings/shops',
    name: 'settings-shops',
    component: () => import('./pages/settings/shops.vue'),
    meta: { title: 'shops.title', permission: SHOPS_VIEW },
  },
  {
    path: '/settings/aftersales',
    name: 'settings-aftersales',
    component: () => import('./pages/settings/aftersales.vue'),
    meta: { title: 'cases.policy.title', permission: 'settings:manage' },
  },
  {
    path: '/settings/sop',
    name: 'settings-sop',
    component: () => import('./pages/settings/sop/index.vue'),
    meta: { title: 'settings.pages.sop.title', permission: 'sop:manage' },
  },
  {
    path: '/settings/sop/templates/new',
    name: 'settings-sop-template-new',
    component: () => import('./pages/settings/sop/template.vue'),
    props: { id: null },
    meta: { title: 'sop.editor.newTitle', permission: 'sop:manage' },
  },
  {
    path: '/settings/sop/templates/:id(\\d+)',
    name: 'settings-sop-template',
    component: () => import('./pages/settings/sop/template.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'sop.editor.editTitle', permission: 'sop:manage' },
  },
  {
    path: '/settings/sop/rules/new',
    name: 'settings-sop-rule-new',
    component: () => import('./pages/settings/sop/rule.vue'),
    props: { id: null },
    meta: { title: 'sop.rules.newTitle', permission: 'sop:manage' },
  },
  {
    path: '/settings/sop/rules/:id(\\d+)',
    name: 'settings-sop-rule',
    component: () => import('./pages/settings/sop/rule.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'sop.rules.editTitle', permission: 'sop:manage' },
  },
  {
    // 自动化规则 (设置 → 自动化规则): rules that act on events and schedules, each with its dry run and run log.
    path: '/automations',
    name: 'automations',
    component: () => import('./pages/automations/index.vue'),
    meta: { title: 'automation.title', permission: 'automation:manage' },
  },
  {
    path: '/automations/new',
    name: 'automation-new',
    component: () => import('./pages/automations/[id].vue'),
    props: (route) => ({ id: null, example: typeof route.query['example'] === 'string' ? route.query['example'] : null }),
    meta: { title: 'automation.editor.newTitle', permission: 'automation:manage' },
  },
  {
    path: '/automations/:id(\\d+)',
    name: 'automation',
    component: () => import('./pages/automations/[id].vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'automation.editor.editTitle', permission: 'automation:manage' },
  },
  {
    // A summary's link from WeCom: any signed-in member it was sent to (the server checks).
    path: '/notifications/batches/:id(\\d+)',
    name: 'notification-batch',
    component: () => import('./pages/notifications/batch.vue'),
    meta: { title: 'notifications.batch.title' },
  },
  {
    path: '/settings/notifications',
    name: 'settings-notifications',
    component: () => import('./pages/settings/notifications/index.vue'),
    meta: { title: 'settings.pages.notifications.title', permission: 'notifications:manage' },
  },
  {
    path: '/settings/notifications/rules/new',
    name: 'settings-notification-rule-new',
    component: () => import('./pages/settings/notifications/rule.vue'),
    props: { id: null },
    meta: { title: 'notifications.rule.newTitle', permission: 'notifications:manage' },
  },
  {
    path: '/settings/notifications/rules/:id(\\d+)',
    name: 'settings-notification-rule',
    component: () => import('./pages/settings/notifications/rule.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'notifications.rule.editTitle', permission: 'notifications:manage' },
  },
  {
    path: '/settings/notifications/robots',
    name: 'settings-notification-robots',
    component: () => import('./pages/settings/notifications/robots.vue'),
    meta: { title: 'notifications.robots.title', permission: 'notifications:manage' },
  },
  {
    path: '/settings/notifications/chats',
    name: 'settings-notification-chats',
    component: () => import('./pages/settings/notifications/chats.vue'),
    meta: { title: 'notifications.chats.title', permission: 'notifications:manage' },
  },
  {
    path: '/settings/notifications/deliveries',
    name: 'settings-notification-deliveries',
    component: () => import('./pages/settings/notifications/deliveries.vue'),
    meta: { title: 'notifications.deliveries.title', permission: 'notifications:manage' },
  },
  {
    path: '/forbidden',
    name: 'forbidden',
    component: () => import('./pages/forbidden.vue'),
    meta: { title: 'forbidden.title' },
  },
  {
    path: '/signin-error',
    name: 'signin-error',
    component: () => import('./pages/signin-error.vue'),
    meta: { public: true, title: 'signinError.title' },
  },
  {
    path: '/signed-out',
    name: 'signed-out',
    component: () => import('./pages/signed-out.vue'),
    meta: { public: true, title: 'signedOut.title' },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./pages/[...all].vue'),
    meta: { public: true, title: 'notFound.title' },
  },
];

/** History-mode router (the server answers index.html for every non-API path). */
export function createAppRouter(): Router {
  return createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes,
    // Back/forward (and a reload) restore the saved position; other in-app navigations start at the
    // top. The first page load needs no scrolling: it would only force a synchronous layout while the
    // first page is being shown.
    scrollBehavior: (_to, from, saved) => saved ?? (from === START_LOCATION ? false : { top: 0 }),
  });
}
