/**
 * The H5 workbench in headless Chromium at phone size (360×640, zh-CN), against the real server
 * (SQLite, built h5/dist) and the WeCom simulator with the demo corp 星河电商.
 *
 * Sign-in goes the way a desktop browser does: /auth/wecom/login → the simulator's "choose a member"
 * page (a[data-userid]) → /auth/wecom/callback → back to the path that was asked for.
 * Screenshots of every page land in test/artifacts/screenshots/*.png.
 */
import type { Page } from 'playwright-core';
import { PERMISSIONS, ROLES } from '@shopcrew/shared';
import { DEMO_DEPARTMENTS, DEMO_USERS, OUTSIDER } from '../../scripts/wecom-sim';
import { useBrowserStack, describeBrowser } from '../support/e2e';
import { waitFor } from '../support/wait';

describeBrowser('H5 workbench (Chromium 360×640, zh-CN)', () => {
  const e2e = useBrowserStack();
  const { url, onChooser, newPage, signIn, shot, expectVisible } = e2e;

  const permissionItems = (page: Page) => page.locator('[data-testid="me-permissions"] [data-permission]');

  test('a cs_agent signs in through the simulator and sees name, role and their work', async () => {
    const page = await newPage();
    await signIn(page, DEMO_USERS.csAgent);

    await expectVisible(page, '[data-testid="work-cards"]');
    expect(await page.textContent('[data-testid="greeting"]')).toContain('李娜');
    expect(await page.locator('.greeting [data-role]').allTextContents()).toEqual([ROLES.cs_agent.name]);
    expect(await page.textContent('[data-testid="demo-banner"]')).toContain('演示模式：当前连接的是本地企业微信模拟器和演示企业');
    // Every card a cs_agent may act on; with no orders yet (GET /api/home answers zeros until the
    // marketplace modules exist) each shows its count 0 and its empty state.
    const cards = page.locator('[data-card]');
    expect(await cards.count()).toBe(5);
    expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-count')))).toEqual(['0', '0', '0', '0', '0']);
    const unclaimed = page.locator('[data-card="unclaimed"]');
    expect(await unclaimed.textContent()).toContain('暂无待认领订单，新订单到达时会通知你');
    await shot(page, 'home');

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
    await signIn(page, DEMO_USERS.csLead, '/team');
    await expectVisible(page, '[data-testid="department-tree"]');
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

    // The SPA is still open: the next API call (opening 团队) gets a 401 and goes back through sign-in.
    await page.click('.van-tabbar-item:has-text("团队")');
    await page.waitForURL((u) => u.href.startsWith(e2e.stack.sim.url));
    expect(onChooser(page)).toBe(true);
    expect(await page.locator(`a[data-userid="${userid}"]`).count()).toBe(0);

    // A fresh page load goes the same way.
    await page.goto(url('/'));
    await page.waitForURL((u) => u.href.startsWith(e2e.stack.sim.url));
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
