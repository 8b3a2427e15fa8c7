/**
 * The H5 workbench in headless Chromium at phone size (360×640, zh-CN), against the real server
 * (SQLite, built h5/dist) and the WeCom simulator with the demo corp 星河电商.
 *
 * Sign-in goes the way a desktop browser does: /auth/wecom/login → the simulator's "choose a member"
 * page (a[data-userid]) → /auth/wecom/callback → back to the path that was asked for.
 * After-sales contributes two home counters (售后: 我的售后单, 即将超时的售后); the stack also builds one test
 * module that contributes two more, to show how the H5 renders a count, a link and the line shown at 0.
 * Screenshots of every page land in test/artifacts/screenshots/*.png.
 */
import type { Page } from 'playwright-core';
import { PERMISSIONS, ROLES } from '@shopcrew/shared';
import { MODULES } from '../../server/src/modules';
import { defineModule } from '../../server/src/platform/module';
import { DEMO_DEPARTMENTS, DEMO_USERS, OUTSIDER } from '../../scripts/wecom-sim';
import { useBrowserStack, describeBrowser } from '../support/e2e';
import { waitFor } from '../support/wait';

/** Two home counters, labelled with messages the H5 has: one for who claims orders (3, opens 团队), one at 0 for who runs SOPs. */
const counterModule = defineModule({
  name: 'tally',
  entities: [],
  create: () => ({
    homeCounters: [
      { key: 'tally.claim', permission: 'orders:claim', labelKey: 'permission.orders:claim', link: '/team', icon: 'orders-o', count: () => Promise.resolve(3) },
      {
        key: 'tally.sop',
        permission: 'sop:run',
        labelKey: 'permission.sop:run',
        emptyKey: 'home.noWork',
        link: null,
        icon: 'todo-list-o',
        color: '#7232dd',
        count: () => Promise.resolve(0),
      },
    ],
  }),
});

/** The page's Vue app: Vue keeps it on its mount element, also in production. */
interface AppHandle {
  __vue_app__: { config: { globalProperties: { $pinia: { state: { value: unknown } }; $router: { push(path: string): Promise<unknown> } } } };
}

/** What the page's Pinia holds, store by store. */
const storeState = (page: Page) =>
  page.evaluate(() => {
    const app = (document.querySelector('#app') as unknown as AppHandle).__vue_app__;
    return JSON.parse(JSON.stringify(app.config.globalProperties.$pinia.state.value)) as Record<string, Record<string, unknown>>;
  });

/** An in-app navigation (the page, and what its stores hold, stay). */
const navigate = (page: Page, path: string) =>
  page.evaluate(async (to) => {
    await (document.querySelector('#app') as unknown as AppHandle).__vue_app__.config.globalProperties.$router.push(to);
  }, path);

describeBrowser('H5 workbench (Chromium 360×640, zh-CN)', () => {
  const e2e = useBrowserStack({ stack: { modules: [...MODULES, counterModule] } });
  const { url, onChooser, newPage, signIn, shot, expectVisible } = e2e;

  const permissionItems = (page: Page) => page.locator('[data-testid="me-permissions"] [data-permission]');
  const tabs = (page: Page) => page.locator('[data-testid="tabbar"] [data-tab]').evaluateAll((els) => els.map((e) => e.getAttribute('data-tab')));

  test('a cs_agent signs in through the simulator and sees name, role and their work', async () => {
    const page = await newPage();
    await signIn(page, DEMO_USERS.csAgent);

    await expectVisible(page, '[data-testid="work-cards"]');
    expect(await page.textContent('[data-testid="greeting"]')).toContain('李娜');
    expect(await page.locator('.greeting [data-role]').allTextContents()).toEqual([ROLES.cs_agent.name]);
    expect(await page.textContent('[data-testid="demo-banner"]')).toContain('演示模式：当前连接的是本地企业微信模拟器和演示企业');
    // The banner links the member to the simulator's page of what they received in WeCom (cards with working buttons).
    expect(await page.getAttribute('[data-testid="demo-inbox-link"]', 'href')).toMatch(/\/__sim\/inbox\?as=lina$/);
    // The counters modules contribute (GET /api/home), those a cs_agent's permissions allow, in module order: each
    // with its module's label, its count, and at 0 its empty line (售后's two, then the test module's).
    const cards = page.locator('[data-card]');
    expect(await cards.evaluateAll((els) => els.map((e) => [e.getAttribute('data-card'), e.getAttribute('data-count')]))).toEqual([
      ['aftersales.mine', '0'],
      ['aftersales.due_soon', '0'],
      ['sop.mine', '0'],
      ['projects.mine', '0'],
      ['tally.claim', '3'],
      ['tally.sop', '0'],
    ]);
    expect(await page.textContent('[data-card="aftersales.mine"]')).toContain('我的售后单');
    expect(await page.textContent('[data-card="aftersales.due_soon"]')).toContain('即将超时的售后');
    expect(await page.textContent('[data-card="tally.claim"]')).toContain('认领订单');
    expect(await page.textContent('[data-card="tally.sop"]')).toContain('暂无待办');
    // The tab bar from the route table: 首页, 订单, 售后, 清单, 我的 — five fit; 团队 goes to the 更多应用 grid on home.
    expect(await tabs(page)).toEqual(['home', 'orders', 'cases', 'checklists', 'me']);
    expect(await page.textContent('[data-testid="tabbar"]')).toMatch(/首页\s*订单\s*售后\s*清单\s*我的/);
    expect(await page.textContent('[data-testid="more-apps"]')).toContain('团队');
    await shot(page, 'home');
    await page.click('[data-card="tally.claim"]');
    await page.waitForURL(url('/team'));
    // 团队 is not a tab for this member now: no tab is marked active on its page.
    expect(await page.locator('.van-tabbar-item--active').count()).toBe(0);
    await page.goBack();
    await page.waitForURL(url('/'));

    await page.click('.van-tabbar-item:has-text("我的")');
    await page.waitForURL(url('/me'));
    expect(await page.textContent('[data-testid="me-name"]')).toBe('李娜');
    expect(await page.textContent('[data-testid="me-userid"]')).toBe(DEMO_USERS.csAgent);
    expect(await page.locator('[data-testid="me-roles"] [data-role]').allTextContents()).toEqual(['客服']);
    expect(await permissionItems(page).count()).toBe(ROLES.cs_agent.permissions.length);
    expect(await page.textContent('[data-testid="me-permissions"]')).toContain('认领订单');
    expect(await page.locator('[data-permission="settings:manage"]').count()).toBe(0);
    await shot(page, 'me');
    await shot(page, 'me-full', true);
  });

  test('finance gets only the counters and tabs its permissions allow', async () => {
    // Every demo role now has some counter (finance: 售后's 即将超时, through aftersales:read), so the empty state of
    // 我的工作 (no-work) has no demo member left to show it.
    const page = await newPage();
    await signIn(page, DEMO_USERS.finance);
    await expectVisible(page, '[data-testid="work-cards"]');
    expect(await page.locator('[data-card]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-card'), e.getAttribute('data-count')]))).toEqual([
      ['aftersales.due_soon', '0'],
      ['projects.mine', '0'],
    ]);
    // finance approves refunds (aftersales:read): 售后 is one of their tabs, 订单 is not; like every staff role they read
    // 项目, and they read 数据; 团队 goes to the 更多应用 grid.
    expect(await tabs(page)).toEqual(['home', 'cases', 'projects', 'data', 'me']);
    await shot(page, 'home-finance');
  });

  test('an owner sees the 店长 role and more permissions than a cs_agent', async () => {
    const page = await newPage();
    await signIn(page, DEMO_USERS.owner, '/me');
    await expectVisible(page, '[data-testid="me-permissions"]');
    expect(await page.textContent('[data-testid="me-name"]')).toBe('陈静');
    expect(await page.locator('[data-testid="me-roles"] [data-role]').allTextContents()).toContain('店长');
    const count = await permissionItems(page).count();
    expect(count).toBe(PERMISSIONS.length);
    expect(count).toBeGreaterThan(ROLES.cs_agent.permissions.length);
    expect(await page.textContent('[data-testid="me-permissions"]')).toContain('管理系统设置');
    await shot(page, 'me-owner');
  });

  test('a deep link with a query survives sign-in', async () => {
    const page = await newPage();
    const deepLink = `/team/${DEMO_DEPARTMENTS.csPresale}?x=1`;
    await signIn(page, DEMO_USERS.csAgent, deepLink);
    expect(page.url()).toBe(url(deepLink));

    await expectVisible(page, '[data-testid="member-list"]');
    const lina = page.locator(`[data-testid="member-list"] [data-userid="${DEMO_USERS.csAgent}"]`);
    expect(await lina.textContent()).toContain('李娜');
    expect(await lina.textContent()).toContain('客服专员');
    const lead = page.locator(`[data-testid="member-list"] [data-userid="${DEMO_USERS.csLead}"]`);
    expect(await lead.textContent()).toContain('负责人');
    expect(await page.textContent('.van-nav-bar__title')).toBe('售前组');
    await shot(page, 'team-department');
  });

  test('the team page renders the department tree and opens a department', async () => {
    const page = await newPage();
    // The first load of the tree fails: the page says so and offers 重试, which loads it.
    let failed = false;
    await page.route('**/api/org/departments', async (route) => {
      if (failed) return route.continue();
      failed = true;
      await route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal', message: 'boom', requestId: 'r1' } }),
      });
    });
    // 美工 (no 订单, 售后 or 数据) keeps 团队 in the tab bar: the section's tab shows active.
    await signIn(page, DEMO_USERS.designLead, '/team');
    await expectVisible(page, '[data-testid="error-state"]');
    expect(await page.textContent('[data-testid="error-state"]')).toContain('服务器开小差了，请稍后重试');
    await shot(page, 'team-error');
    await page.click('[data-testid="error-state"] .error-state__retry');
    await expectVisible(page, '[data-testid="department-tree"]');
    expect(await page.locator('[data-testid="error-state"]').count()).toBe(0);
    expect(await page.getAttribute('.van-tabbar-item--active', 'data-tab')).toBe('team');
    const tree = page.locator('[data-testid="department-tree"]');
    for (const name of ['星河电商', '客服部', '售前组', '售后组', '仓储部', '财务部']) {
      expect(await tree.textContent()).toContain(name);
    }
    expect(await tree.textContent()).toMatch(/\d+ 人/);
    await shot(page, 'team');

    // Collapse and expand 客服部.
    const cs = page.locator(`[data-department-id="${DEMO_DEPARTMENTS.cs}"]`);
    await cs.locator('> .dept-node__row .dept-node__toggle').click();
    expect(await page.locator(`[data-department-id="${DEMO_DEPARTMENTS.csPresale}"]`).count()).toBe(0);
    await cs.locator('> .dept-node__row .dept-node__toggle').click();
    await expectVisible(page, `[data-department-id="${DEMO_DEPARTMENTS.csPresale}"]`);

    await cs.locator('> .dept-node__row .dept-node__main').click();
    await page.waitForURL(url(`/team/${DEMO_DEPARTMENTS.cs}`));
    expect(await page.textContent('.van-nav-bar__title')).toBe('客服部');
    await expectVisible(page, '[data-testid="member-list"], [data-testid="no-members"]');
    // A page inside the 团队 section keeps the bar, with 团队 active.
    expect(await page.getAttribute('.van-tabbar-item--active', 'data-tab')).toBe('team');
  });

  test('sign-out forgets every store: the next member on the phone never sees the owner’s data', async () => {
    const page = await newPage();
    await signIn(page, DEMO_USERS.owner);
    await expectVisible(page, '[data-testid="admin-section"] [data-counter="sync"]');
    const pages: Array<[path: string, ready: string]> = [
      ['/team', '[data-testid="department-tree"]'],
      [`/team/${DEMO_DEPARTMENTS.ownerOffice}`, '[data-testid="member-list"]'],
      ['/settings/roles', '[data-role-card="owner"]'],
      ['/settings/audit', '[data-testid="audit-list"]'],
      ['/settings/sync', '[data-testid="sync-runs"]'],
    ];
    for (const [path, ready] of pages) {
      await navigate(page, path);
      await page.waitForURL(url(path));
      await expectVisible(page, ready);
    }
    const loaded = await storeState(page);
    expect(Object.keys(loaded)).toEqual(expect.arrayContaining(['session', 'home', 'org', 'roles', 'audit', 'sync']));
    expect(JSON.stringify(loaded)).toContain('陈静');

    // 我的 → 退出登录, in the same page: every store is gone but the (cleared) session.
    await navigate(page, '/me');
    await page.click('[data-testid="logout"]');
    await page.click('.van-dialog__confirm');
    await page.waitForURL(url('/signed-out'));
    const after = await storeState(page);
    expect(Object.keys(after)).toEqual(['session']);
    expect(after.session).toMatchObject({ me: null, demo: true });
    expect(JSON.stringify(after)).not.toContain('陈静');

    // The next member signs in on the same phone (same browser context): only their own data.
    await page.click('[data-testid="signin-again"]');
    await page.waitForURL((u) => u.href.startsWith(e2e.stack.sim.url));
    await page.click(`a[data-userid="${DEMO_USERS.csAgent}"]`);
    await page.waitForURL(url('/'));
    await expectVisible(page, '[data-testid="work-cards"]');
    expect(await page.textContent('[data-testid="greeting"]')).toContain('李娜');
    expect(await page.locator('[data-testid="admin-section"]').count()).toBe(0);
    await page.click('[data-testid="more-apps"] [data-app="team"]');
    await expectVisible(page, '[data-testid="department-tree"]');
    const next = await storeState(page);
    expect(Object.keys(next).sort()).toEqual(['home', 'org', 'session']); // no admin counters, roles, audit or sync
    expect((next.session!.me as { userid: string }).userid).toBe(DEMO_USERS.csAgent);
    expect(JSON.stringify(next)).not.toContain(DEMO_USERS.owner);
    await page.goto(url('/settings/audit'));
    await expectVisible(page, '[data-page="forbidden"]');
  });

  test('sign out lands on /signed-out and the session is gone', async () => {
    const page = await newPage();
    await signIn(page, DEMO_USERS.warehouse, '/me');
    await page.click('[data-testid="logout"]');
    await page.click('.van-dialog__confirm');
    await page.waitForURL(url('/signed-out'));
    await page.locator('.van-dialog').waitFor({ state: 'hidden' });
    expect(await page.textContent('[data-page="signed-out"]')).toContain('已退出登录');
    await shot(page, 'signed-out');

    const me = await page.request.get(url('/api/me'));
    expect(me.status()).toBe(401);
    expect((await me.json()).error.code).toBe('unauthenticated');

    // 重新登录 starts sign-in again.
    await page.click('[data-testid="signin-again"]');
    await page.waitForURL((u) => u.href.startsWith(e2e.stack.sim.url));
  });

  test('a member deleted in WeCom is sent back to sign-in on the next request', async () => {
    const page = await newPage();
    const userid = DEMO_USERS.csAgent2;
    await signIn(page, userid);
    await expectVisible(page, '[data-testid="work-cards"]');

    await e2e.stack.sim.deleteUser(userid); // delivers change_contact delete_user to the server
    await waitFor(async () => (await page.request.get(url('/api/me'))).status() === 401, 'session revoked');

    // The SPA is still open: the next API call (opening 团队) gets a 401, every store is dropped, and the
    // window goes back through sign-in. What the stores hold as it leaves is kept in sessionStorage.
    await page.evaluate(() =>
      addEventListener('pagehide', () => {
        const app = (document.querySelector('#app') as unknown as AppHandle).__vue_app__;
        sessionStorage.setItem('e2e.stores', JSON.stringify(app.config.globalProperties.$pinia.state.value));
      }),
    );
    await page.click('[data-testid="more-apps"] [data-app="team"]');
    await page.waitForURL((u) => u.href.startsWith(e2e.stack.sim.url));
    expect(onChooser(page)).toBe(true);
    expect(await page.locator(`a[data-userid="${userid}"]`).count()).toBe(0);

    // A fresh page load goes the same way.
    await page.goto(url('/'));
    await page.waitForURL((u) => u.href.startsWith(e2e.stack.sim.url));

    await page.goto(url('/signed-out')); // back on the app's origin, to read what the old page left
    const left = JSON.parse((await page.evaluate(() => sessionStorage.getItem('e2e.stores'))) ?? 'null') as Record<string, { me?: unknown }>;
    expect(Object.keys(left)).toEqual(['session']);
    expect(left.session!.me).toBeNull();
  });

  test('someone outside the corp gets the not_member explanation', async () => {
    const page = await newPage();
    await page.goto(url('/'));
    await page.waitForURL((u) => u.href.startsWith(e2e.stack.sim.url));
    await page.click(`a[data-userid="${OUTSIDER}"]`);
    await page.waitForURL(/\/signin-error\?reason=not_member/);
    expect(await page.textContent('h1')).toBe('你不是本企业的成员');
    expect(await page.textContent('[data-page="signin-error"]')).toContain('请联系管理员把你加入企业微信通讯录');
    await shot(page, 'signin-error');

    await page.goto(url('/signin-error?reason=bad_state'));
    expect(await page.textContent('h1')).toBe('登录已过期，请重新登录');
    expect(await page.getAttribute('[data-testid="signin-retry"]', 'href')).toBe('/auth/wecom/login?redirect=%2F');
  });

  test('an unknown path shows the 404 page', async () => {
    const page = await newPage();
    await signIn(page, DEMO_USERS.designer);
    await page.goto(url('/no/such/page'));
    await expectVisible(page, '[data-page="not-found"]');
    expect(await page.textContent('h1')).toBe('页面不存在');
    await expectVisible(page, '[data-testid="demo-banner"]'); // public page, but the member is signed in
    await shot(page, 'not-found');
  });
});
