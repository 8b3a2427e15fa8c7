/**
 * The owner's 设置 screens in headless Chromium at phone size (360×640, zh-CN), against the real
 * server (SQLite, built h5/dist) and the WeCom simulator with the demo corp 星河电商: 角色与权限,
 * 操作日志, 通讯录同步, the home counters, and what a cs_agent does not see.
 * Screenshots of every page land in test/artifacts/screenshots/settings-*.png.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { DEMO_DEPARTMENTS as D, DEMO_USERS as U } from '../../scripts/wecom-sim';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { chineseLines, useBrowserStack, describeBrowser } from '../support/e2e';
import { waitFor } from '../support/wait';

describeBrowser('H5 设置 (Chromium 360×640, zh-CN)', () => {
  const e2e = useBrowserStack();
  const { url, newPage, signIn, shot, expectVisible: visible } = e2e;

  const toast = async (page: Page) => {
    await visible(page, '.van-toast');
    return (await page.locator('.van-toast').last().textContent())?.trim();
  };

  test('the owner binds a role to a department in 角色与权限, sees it, and reads it back in 操作日志', async () => {
    const page = await newPage();
    await signIn(page, U.owner);

    // Home: the 管理 counters, each opening its page.
    await visible(page, '[data-testid="admin-section"] [data-counter="sync"]');
    const counters = page.locator('[data-testid="admin-section"] [data-counter]');
    expect(await counters.evaluateAll((els) => els.map((e) => e.getAttribute('data-counter')))).toEqual(['roles', 'audit', 'sync']);
    expect(await page.textContent('[data-counter="roles"] [data-testid="counter-value"]')).toMatch(/^\d+ 条$/);
    expect(await page.textContent('[data-counter="sync"] [data-testid="counter-value"]')).toBe('成功');
    await page.locator('[data-testid="admin-section"]').scrollIntoViewIfNeeded();
    await shot(page, 'settings-home-counters');
    await page.click('[data-counter="roles"]');
    await page.waitForURL(url('/settings/roles'));
    await page.goBack();

    // 我的 → 设置 → 角色与权限
    await page.click('.van-tabbar-item:has-text("我的")');
    await page.waitForURL(url('/me'));
    await page.click('[data-testid="me-settings"]');
    await page.waitForURL(url('/settings'));
    await visible(page, '[data-testid="settings-menu"] [data-settings="sync"]');
    expect(await page.locator('[data-settings]').evaluateAll((els) => els.map((e) => e.getAttribute('data-settings')))).toEqual([
      'roles',
      'audit',
      'sync',
      'notifications',
      'shops',
      'aftersales',
      'sop',
      'automations',
    ]);
    await shot(page, 'settings');
    await page.click('[data-settings="roles"]');
    await page.waitForURL(url('/settings/roles'));
    expect(await page.textContent('.van-nav-bar__title')).toBe('角色与权限');

    // Who has what before: 客服部 carries 客服 (a seeded binding), shown by name.
    await visible(page, '[data-role-card="cs_agent"] [data-subject="department:2"]');
    expect(await page.textContent('[data-role-card="cs_agent"] [data-subject="department:2"]')).toContain('客服部');
    expect(await page.locator(`[data-role-card="owner"] [data-testid="role-members"] [data-userid="${U.owner}"]`).textContent()).toContain('管理员配置');
    await shot(page, 'settings-roles');

    // 新增授权: 美工 → 部门 仓储部
    expect(await page.locator(`[data-role-card="designer"] [data-subject="department:${D.warehouse}"]`).count()).toBe(0);
    await page.click('[data-testid="add-binding"]');
    await visible(page, '[data-testid="binding-sheet"] [data-testid="role-choice"]');
    await page.click('[data-testid="role-choice"] [data-role="designer"]');
    await page.click(`[data-testid="department-picker"] [data-department-id="${D.warehouse}"]`);
    expect(await page.textContent('[data-testid="binding-summary"]')).toContain('将「美工」授予部门「仓储部」');
    await shot(page, 'settings-roles-bind');
    await page.click('[data-testid="binding-submit"]');
    expect(await toast(page)).toBe('已授权');
    await page.locator('[data-testid="binding-sheet"]').waitFor({ state: 'hidden' });

    const row = page.locator(`[data-role-card="designer"] [data-subject="department:${D.warehouse}"]`);
    await row.waitFor({ state: 'visible' });
    expect(await row.textContent()).toContain('仓储部');
    expect(await row.textContent()).toContain('陈静 授权于');
    // Everyone in 仓储部 now has 美工, shown with where it comes from.
    const warehouseLead = page.locator(`[data-role-card="designer"] [data-testid="role-members"] [data-userid="${U.warehouseLead}"]`);
    await warehouseLead.waitFor({ state: 'attached' });
    expect(await warehouseLead.textContent()).toContain('部门 仓储部');
    await row.scrollIntoViewIfNeeded();
    await shot(page, 'settings-roles-after-bind');

    // 按成员
    await page.click('.van-tab:has-text("按成员")');
    await visible(page, '[data-testid="member-roles"]');
    const lead = page.locator(`[data-testid="member-roles"] [data-userid="${U.warehouseLead}"]`);
    expect(await lead.locator('[data-role]').evaluateAll((els) => els.map((e) => e.getAttribute('data-role')))).toEqual(['warehouse', 'designer']);
    expect(await page.locator(`[data-testid="member-roles"] [data-userid="${U.inactive}"]`).textContent()).toContain('未激活');
    await shot(page, 'settings-roles-members');

    // 操作日志: the binding, by 陈静, as 授权.
    await page.goto(url('/settings/audit'));
    await visible(page, '[data-testid="audit-list"]');
    const newest = page.locator('[data-testid="audit-list"] > li').first();
    expect(await newest.getAttribute('data-action')).toBe('role.bind');
    expect(await newest.locator('[data-testid="audit-action"]').textContent()).toBe('授权');
    expect(await newest.locator('[data-testid="audit-actor"]').textContent()).toBe('陈静');
    expect(await newest.textContent()).toContain('美工 → 部门 仓储部');
    await newest.locator('.audit-item__toggle').click();
    expect(await newest.textContent()).toContain('"subjectId": "5"');
    await shot(page, 'settings-audit');

    // Filter by action (URL carries it); the export link has the same filter.
    await page.click('.van-dropdown-menu__item >> nth=0');
    await page.click('.van-dropdown-item__option:has-text("登录")');
    await page.waitForURL((u) => u.searchParams.get('action') === 'auth.sign_in');
    await waitFor(async () => {
      const actions = await page.locator('[data-testid="audit-list"] > li').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
      return actions.length > 0 && actions.every((a) => a === 'auth.sign_in');
    }, 'only sign-ins listed');
    expect(await page.getAttribute('[data-testid="audit-export"]', 'href')).toMatch(/^\/api\/audit\/export\?action=auth\.sign_in(&|$)/);
    await shot(page, 'settings-audit-filtered');

    // 筛选 → 操作人: search the address book and pick 陈静; both filters apply.
    await page.click('.van-dropdown-menu__item >> nth=2');
    await visible(page, '[data-testid="filter-actor"]');
    await shot(page, 'settings-audit-filter-more');
    await page.click('[data-testid="filter-actor"]');
    await page.fill('[data-testid="member-search"] input', '陈静');
    await page.click(`[data-testid="member-picker"] [data-userid="${U.owner}"]`);
    await page.waitForURL((u) => u.searchParams.get('actor') === U.owner && u.searchParams.get('action') === 'auth.sign_in');
    await waitFor(async () => {
      const actors = await page.locator('[data-testid="audit-list"] [data-testid="audit-actor"]').allTextContents();
      return actors.length > 0 && actors.every((a) => a === '陈静');
    }, 'only 陈静 listed');
    expect(await page.textContent('[data-testid="active-filters"]')).toContain('操作人：陈静');
    expect(await page.getAttribute('[data-testid="audit-export"]', 'href')).toContain(`actor=${U.owner}`);
  });

  test('操作日志 pages with 加载更多 and exports CSV', async () => {
    const page = await newPage();
    await signIn(page, U.owner, '/settings/audit');
    await visible(page, '[data-testid="audit-list"]');
    // 40 more entries than one page holds, newer than everything else.
    const repo = e2e.stack.app.container.ds.getRepository(AuditEntry);
    const now = Date.now();
    await repo.insert(
      Array.from({ length: 40 }, (_, i) => ({
        at: now + i,
        actor: 'wecom',
        action: 'contact.update_user',
        targetType: 'member',
        targetId: U.csAgent,
        before: null,
        after: null,
        requestId: null,
      })),
    );
    await page.reload();
    await visible(page, '[data-testid="audit-list"]');
    const items = page.locator('[data-testid="audit-list"] > li');
    expect(await items.count()).toBe(30);
    expect(await items.first().textContent()).toContain('企业微信');
    expect(await items.first().textContent()).toContain('成员 李娜');
    await page.locator('[data-testid="audit-load-more"]').scrollIntoViewIfNeeded();
    await shot(page, 'settings-audit-load-more');
    await page.click('[data-testid="audit-load-more"]');
    await waitFor(async () => (await items.count()) > 30, 'the second page');
    const ids = await items.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-audit-id'))));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);

    const href = (await page.getAttribute('[data-testid="audit-export"]', 'href'))!;
    const res = await page.request.get(url(href));
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toMatch(/^attachment; filename="audit-\d{8}\.csv"$/);
    const body = await res.body();
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(body.toString('utf8')).toContain('更新成员');
  });

  test('通讯录同步: the runs, 立即同步 starts one and the page follows it; a run elsewhere is shown, not an error', async () => {
    const page = await newPage();
    await signIn(page, U.owner, '/settings/sync');
    await visible(page, '[data-testid="sync-runs"]');
    const runs = page.locator('[data-testid="sync-runs"] > li');
    const before = await runs.count();
    expect(before).toBeGreaterThanOrEqual(1);
    expect(await runs.first().getAttribute('data-state')).toBe('done');
    expect(await runs.first().textContent()).toContain('成功');
    expect(await runs.first().textContent()).toMatch(/用时 .+ · 部门 10 · 成员 \d+ · 停用 0 · 标签 3/);
    await shot(page, 'settings-sync');

    // A slow WeCom: the run takes a few seconds, long enough to watch it.
    const opts = e2e.stack.sim.options as { latencyMs: number };
    opts.latencyMs = 800; // ≈ 5 rounds of calls: about 4 s
    try {
      await page.click('[data-testid="sync-now"]');
      expect(await toast(page)).toBe('已开始同步');
      await visible(page, '[data-testid="sync-status"][data-running="true"]');
      expect(await page.textContent('[data-testid="sync-status"]')).toContain('正在同步');
      expect(await runs.first().getAttribute('data-state')).toBe('running');
      expect(await runs.first().textContent()).toContain('手动 · 陈静');
      await shot(page, 'settings-sync-running');
    } finally {
      opts.latencyMs = 0;
    }
    // No reload: the page polls until the run is done.
    await page.locator('[data-testid="sync-status"][data-running="false"]').waitFor({ timeout: 30_000 });
    await waitFor(async () => (await runs.first().getAttribute('data-state')) === 'done', 'the new run shown as done', 10_000);
    expect(await runs.count()).toBe(before + 1);
    expect(await page.textContent('[data-testid="sync-status"]')).toContain('上次成功同步：刚刚');

    // Another server process is syncing: 立即同步 answers 409 sync_running, shown as a notice and the progress.
    const other = randomUUID();
    expect(await e2e.stack.app.container.leases.tryAcquire('job:contact-sync', 60_000, other)).toBe(true);
    try {
      await page.click('[data-testid="sync-now"]');
      expect(await toast(page)).toBe('已有同步正在进行，已为你显示最新进度');
      await visible(page, '[data-testid="sync-status"][data-running="true"]');
      expect(await page.isDisabled('[data-testid="sync-now"]')).toBe(true);
    } finally {
      await e2e.stack.app.container.leases.release('job:contact-sync', other);
    }
    await page.locator('[data-testid="sync-status"][data-running="false"]').waitFor({ timeout: 10_000 });
  });

  test('on a desktop browser the pages and the binding sheet stay in the centred column', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await signIn(page, U.owner, '/settings/roles');
    await page.click('[data-testid="grant-finance"]');
    await visible(page, '[data-testid="binding-sheet"] [data-testid="role-choice"]');
    // Opened from the 财务 card: the role is already chosen.
    expect(await page.getAttribute('[data-testid="role-choice"] [data-role="finance"]', 'aria-checked')).toBe('true');
    const column = (await page.locator('.app-shell').boundingBox())!;
    const sheet = (await page.locator('[data-testid="binding-sheet"]').boundingBox())!;
    expect(sheet.x).toBeGreaterThanOrEqual(column.x - 1);
    expect(sheet.x + sheet.width).toBeLessThanOrEqual(column.x + column.width + 1);
    await shot(page, 'settings-roles-desktop');
  });

  test('in English the 设置 pages and the home counters show no Chinese UI text', async () => {
    const page = await newPage();
    await signIn(page, U.owner, '/me');
    await page.click('[data-locale="en"]');
    await waitFor(() => page.evaluate(() => document.documentElement.lang === 'en'), 'the English messages loaded');
    const corp = e2e.stack.sim.corp;
    // Names of people, departments, tags and positions are data and stay as WeCom has them.
    const data = [
      ...[...corp.departments.values()].map((d) => d.name),
      ...[...corp.members.values()].flatMap((m) => [m.name, m.position]),
      ...[...corp.tags.values()].map((t) => t.tagname),
      '简体中文',
    ];
    const pages: Array<[string, string]> = [
      ['/', '[data-testid="admin-section"] [data-counter="sync"]'],
      ['/settings', '[data-settings="sync"]'],
      ['/settings/roles', '[data-role-card="designer"]'],
      ['/settings/audit', '[data-testid="audit-list"]'],
      ['/settings/sync', '[data-testid="sync-runs"]'],
    ];
    for (const [path, ready] of pages) {
      await page.goto(url(path));
      await visible(page, ready);
      expect({ path, lines: await chineseLines(page, data) }).toEqual({ path, lines: [] });
    }
    await page.goto(url('/settings/audit'));
    await visible(page, '[data-testid="audit-list"]');
    await page.click('.van-dropdown-menu__item >> nth=2');
    await visible(page, '[data-testid="filter-actor"]');
    expect({ path: 'audit filter', lines: await chineseLines(page, data) }).toEqual({ path: 'audit filter', lines: [] });
    await page.goto(url('/settings/roles'));
    await page.click('[data-testid="add-binding"]');
    await visible(page, '[data-testid="department-picker"]');
    expect({ path: 'binding sheet', lines: await chineseLines(page, data) }).toEqual({ path: 'binding sheet', lines: [] });
    await shot(page, 'settings-roles-bind-en');
  });

  test('a cs_agent does not see 设置 anywhere and is refused its pages', async () => {
    const page = await newPage();
    await signIn(page, U.csAgent);
    await visible(page, '[data-testid="work-cards"]');
    expect(await page.locator('[data-testid="admin-section"]').count()).toBe(0);

    await page.click('.van-tabbar-item:has-text("我的")');
    await visible(page, '[data-testid="me-permissions"]');
    expect(await page.locator('[data-testid="me-settings"]').count()).toBe(0);

    for (const path of ['/settings', '/settings/audit', '/settings/sync']) {
      await page.goto(url(path));
      await visible(page, '[data-page="forbidden"]');
      expect(await page.textContent('[data-page="forbidden"]')).toContain('没有权限');
    }
    await shot(page, 'settings-forbidden');
  });

  test('the team list badges members not yet activated, and offers 发消息 only inside WeCom', async () => {
    const page = await newPage();
    await signIn(page, U.csLead, `/team/${D.csPresale}`);
    await visible(page, '[data-testid="member-list"]');
    const qian = page.locator(`[data-testid="member-list"] [data-userid="${U.inactive}"]`);
    expect(await qian.locator('[data-testid="not-activated"]').textContent()).toBe('未激活');
    expect(await page.locator(`[data-testid="member-list"] [data-userid="${U.csAgent}"] [data-testid="not-activated"]`).count()).toBe(0);
    expect(await page.locator('[data-testid="chat"]').count()).toBe(0); // a desktop/phone browser, not WeCom
    await shot(page, 'settings-team-not-activated');
  });
});
