/**
 * 自动化规则 in headless Chromium at phone size (360×640, zh-CN), against the real server (SQLite, built h5/dist), the
 * WeCom simulator with the demo corp 星河电商 and the Shopee simulator: 周强 (运营总监) opens 设置 → 自动化规则 (none yet:
 * the empty state with its two examples), starts from 大额订单交给专人, first mistypes the condition (`price > 5`: the
 * server's 422 shows under the field), puts it back with the field chips, picks 王芳 and a checklist, dry-runs it over
 * the big order that came in (the match says 分配给 王芳), saves it (disabled), enables it; the next big order is
 * assigned to 王芳 by the rule and the run shows in the run log as 已执行. 陈静 (店长) sees that order actions are
 * greyed, with why, for a schedule. Screenshots land in test/artifacts/screenshots/automation-*.png.
 */
import type { Page } from 'playwright-core';
import type { AutomationRuleView, OrderDetail } from '@shopcrew/shared';
import { DEMO_USERS as U } from '../../scripts/wecom-sim';
import { describeBrowser, useBrowserStack } from '../support/e2e';
import { signIn as apiSignIn } from '../support/http-client';
import { waitFor } from '../support/wait';

/** A toast saying `text` (Vant keeps one toast and changes its text, so wait for the text, not just a toast). */
const toast = (page: Page, text: string) => page.locator('.van-toast', { hasText: text }).waitFor({ state: 'visible', timeout: 10_000 });

/** Once no toast is on screen (before a screenshot: a toast would hide what it is of). */
const toastGone = (page: Page) => waitFor(async () => (await page.locator('.van-toast:visible').count()) === 0, 'the toast gone');

describeBrowser('H5 自动化规则 (Chromium 360×640, zh-CN)', () => {
  const e2e = useBrowserStack({ stack: { db: 'sqlite', shopee: true } });
  const { url, newPage, signIn, shot, expectVisible: visible } = e2e;

  /** A READY_TO_SHIP order of 620 SGD from the simulator, once the server has it. */
  const bigOrder = async () => {
    const ops = (await apiSignIn(e2e.stack, U.opsManager)).browser;
    const order = e2e.stack.shopee!.createOrder(Number(e2e.stack.shopId), {
      order_status: 'READY_TO_SHIP',
      items: [{ model_discounted_price: 620, model_quantity_purchased: 1 }],
    });
    await e2e.stack.shopee!.settled();
    await waitFor(async () => ((await ops.json<OrderDetail>(`/api/orders/${order.order_sn}`)).status === 200 ? true : undefined), `order ${order.order_sn}`);
    return order.order_sn;
  };
  const card = (page: Page, index: number) => page.locator(`[data-testid="action-card"][data-index="${index}"]`);

  test('周强 starts from 大额订单交给专人, dry-runs it, saves and enables it; the next big order runs it', async () => {
    const first = await bigOrder();
    const page = await newPage();
    await signIn(page, U.opsManager, '/settings');

    // 设置 → 自动化规则: none yet; the empty state offers 新建 and the two examples.
    await visible(page, '[data-settings="automations"]');
    expect(await page.textContent('[data-settings="automations"]')).toContain('自动化规则');
    await page.click('[data-settings="automations"]');
    await page.waitForURL(url('/automations'));
    await visible(page, '[data-testid="automations-empty"]');
    expect(await page.textContent('[data-testid="automations-empty"]')).toContain('还没有规则');
    expect(await page.locator('[data-testid="automation-new-empty"]').count()).toBe(1);
    expect((await page.locator('[data-testid="automation-example"]').allTextContents()).map((s) => s.trim())).toEqual([
      expect.stringContaining('大额订单交给专人'),
      expect.stringContaining('SKU 连续低于目标提醒运营'),
    ]);
    await shot(page, 'automation-list-empty');

    // The example fills the editor: 新订单待认领, its condition, three actions (the member and checklist left to pick).
    await page.click('[data-testid="automation-example"][data-example="bigOrder"]');
    await page.waitForURL(url('/automations/new?example=bigOrder'));
    await visible(page, '[data-testid="automation-form"]');
    expect(await page.inputValue('[data-testid="rule-name"] input')).toBe('大额订单交给专人');
    expect(await page.getAttribute('[data-testid="rule-event-value"]', 'data-event')).toBe('order.created');
    expect(await page.textContent('[data-testid="rule-event-value"]')).toContain('新订单待认领');
    const condition = page.locator('[data-testid="rule-condition"] textarea');
    expect(await condition.inputValue()).toBe('total > 500 and currency == "SGD"');
    expect(await page.locator('[data-testid="action-card"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')))).toEqual([
      'order.assign',
      'checklist.start',
      'order.tag',
    ]);
    expect(await card(page, 2).locator('[data-testid="param-tag"] input').inputValue()).toBe('大额');

    // A field the event does not have: the server's 422 shows under the condition.
    await condition.fill('price > 5');
    await page.click('[data-testid="rule-dry-run"]');
    const conditionError = page.locator('[data-testid="rule-condition"] .van-field__error-message');
    await conditionError.waitFor();
    expect(await conditionError.textContent()).toContain('未知字段 price');
    await toastGone(page);
    await page.locator('[data-testid="rule-condition"]').scrollIntoViewIfNeeded();
    await shot(page, 'automation-condition-error');

    // Put back with the field chips (each inserts its name at the caret) and typing between them.
    await condition.fill('');
    await page.click('[data-testid="field-chips-more"]');
    await page.click('[data-field-name="total"]');
    await page.keyboard.type('> 500 and');
    await page.click('[data-field-name="currency"]');
    await page.keyboard.type('== "SGD"');
    expect(await condition.inputValue()).toBe('total > 500 and currency == "SGD"');
    expect(await conditionError.count()).toBe(0);

    // 分配给 王芳 (the address-book picker), and a checklist template.
    await card(page, 0).locator('[data-testid="param-member"]').click();
    await visible(page, '[data-testid="param-member-picker"] [data-testid="member-search"]');
    await page.fill('[data-testid="param-member-picker"] [data-testid="member-search"] input', '王芳');
    await page.click(`[data-testid="param-member-picker"] [data-testid="member-picker"] [data-userid="${U.csLead}"]`);
    await page.locator('[data-testid="param-member-picker"]').waitFor({ state: 'hidden' });
    expect(await card(page, 0).locator('[data-testid="param-member"] input').inputValue()).toBe('王芳');
    await card(page, 1).locator('[data-testid="param-template"]').click();
    await page.locator('[data-testid="template-sheet"] .van-action-sheet__item', { hasText: '新订单处理' }).click();
    await page.locator('[data-testid="template-sheet"]').waitFor({ state: 'hidden' });
    expect(await card(page, 1).locator('[data-testid="param-template"] input').inputValue()).toBe('新订单处理');

    // 试运行 (a draft: nothing saved yet): the big order matches; each action says what it would do.
    await page.click('[data-testid="rule-dry-run"]');
    const result = page.locator('[data-testid="dry-run-result"]');
    await result.waitFor();
    expect(await result.getAttribute('data-matched')).toBe('1');
    expect(await page.textContent('[data-testid="dry-run-summary"]')).toMatch(/^\s*近 7 天检查了 \d+ 条事件，命中 1 条\s*$/);
    const match = result.locator('[data-testid="dry-run-item"]');
    expect(await match.count()).toBe(1);
    expect(await match.locator('[data-testid="dry-run-matched"]').textContent()).toContain(first);
    const steps = match.locator('[data-testid="step-result"]');
    expect(await steps.evaluateAll((els) => els.map((e) => [e.getAttribute('data-key'), e.getAttribute('data-ok')]))).toEqual([
      ['order.assign', 'true'],
      ['checklist.start', 'true'],
      ['order.tag', 'true'],
    ]);
    expect(await steps.nth(0).textContent()).toContain(`把订单 ${first} 分配给 王芳`);
    expect(await steps.nth(1).textContent()).toContain('发起清单「新订单处理」');
    expect(await steps.nth(2).textContent()).toContain('打上「大额」');
    expect(await result.getAttribute('data-stale')).toBe('false');
    await toastGone(page);
    await result.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, 'automation-dry-run');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'automation-editor');
    await shot(page, 'automation-editor-full', true);
    // Nothing was done: the order is still unheld.
    const ops = (await apiSignIn(e2e.stack, U.opsManager)).browser;
    expect((await ops.json<OrderDetail>(`/api/orders/${first}`)).body.assignee).toBeNull();

    // 保存: saved disabled; the page becomes the rule's, with an empty run log.
    await page.click('[data-testid="rule-save"]');
    await toast(page, '已保存，规则尚未启用');
    await page.waitForURL((u) => /^\/automations\/\d+$/.test(u.pathname));
    const ruleId = Number(new URL(page.url()).pathname.split('/').pop());
    await visible(page, '[data-testid="rule-status"][data-enabled="false"]');
    expect((await page.textContent('[data-testid="rule-enabled"]'))?.trim()).toBe('未启用');
    await visible(page, '[data-testid="runs-empty"]');
    expect(await page.textContent('[data-testid="runs-empty"]')).toContain('还没有运行记录');
    const savedRule = (await ops.json<AutomationRuleView>(`/api/automations/${ruleId}`)).body;
    expect(savedRule).toMatchObject({ name: '大额订单交给专人', enabled: false, condition: 'total > 500 and currency == "SGD"', shopId: null });
    expect(savedRule.actions.map((a) => [a.key, a.params])).toEqual([
      ['order.assign', { member: U.csLead }],
      ['checklist.start', { templateId: expect.any(Number) }],
      ['order.tag', { tag: '大额' }],
    ]);

    // 启用; then the next big order is handled by the rule.
    await page.click('[data-testid="rule-enable"]');
    await toast(page, '已启用');
    await visible(page, '[data-testid="rule-status"][data-enabled="true"]');
    expect((await page.textContent('[data-testid="rule-enabled"]'))?.trim()).toBe('已启用');
    const second = await bigOrder();
    await waitFor(
      async () => ((await ops.json<OrderDetail>(`/api/orders/${second}`)).body.assignee?.userid === U.csLead ? true : undefined),
      'the rule assigning the order',
    );

    // 运行记录: 刷新 until the run is there: 已执行, depth 1, what matched, each action's result.
    const run = page.locator('[data-testid="run-item"]').first();
    await waitFor(async () => {
      await page.click('[data-testid="runs-refresh"]');
      await page.waitForTimeout(300);
      return (await run.count()) > 0 ? true : undefined;
    }, 'the run in the run log');
    expect(await run.getAttribute('data-status')).toBe('done');
    expect((await run.locator('[data-testid="run-status"]').textContent())?.trim()).toBe('已执行');
    expect((await run.locator('[data-testid="run-depth"]').textContent())?.trim()).toBe('链深 1');
    expect(await run.locator('[data-testid="run-matched"]').textContent()).toContain(second);
    const ran = run.locator('[data-testid="step-result"]');
    expect(await ran.evaluateAll((els) => els.map((e) => e.getAttribute('data-ok')))).toEqual(['true', 'true', 'true']);
    expect(await ran.nth(0).textContent()).toContain(`已把订单 ${second} 分配给 王芳`);
    expect(await page.textContent('[data-testid="runs-more"]')).toContain('没有更多了');
    await toastGone(page);
    await page.locator('[data-testid="run-log"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, 'automation-run-log');

    // The list: the rule, its trigger, on, last run 已执行; its switch turns it off (the disable endpoint).
    await page.goto(url('/automations'));
    const row = page.locator(`[data-testid="automation-row"][data-rule-id="${ruleId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-enabled')).toBe('true');
    expect(await row.locator('[data-testid="automation-trigger"]').textContent()).toContain('新订单待认领');
    expect(await row.locator('[data-testid="automation-last-run"]').textContent()).toContain('已执行');
    expect((await page.textContent('[data-testid="rule-count"]'))?.trim()).toBe('共 1 条规则');
    await shot(page, 'automation-list');
    await row.locator('[data-testid="automation-switch"]').click();
    await toast(page, '已停用「大额订单交给专人」');
    await page.locator(`[data-testid="automation-row"][data-rule-id="${ruleId}"][data-enabled="false"]`).waitFor();
    expect((await ops.json<AutomationRuleView>(`/api/automations/${ruleId}`)).body.enabled).toBe(false);
  });

  test('陈静: a schedule cannot feed order actions, and the editor says why', async () => {
    const page = await newPage();
    await signIn(page, U.owner, '/automations/new');
    await visible(page, '[data-testid="automation-form"]');
    await page.fill('[data-testid="rule-name"] input', '每周一提醒复盘');
    await page.click('[data-testid="trigger-kind"] [data-kind="schedule"]');
    await page.click('[data-testid="cron-presets"] [data-cron="0 9 * * 1"]');
    expect(await page.inputValue('[data-testid="rule-cron"] input')).toBe('0 9 * * 1');
    expect(await page.locator('[data-testid="rule-condition"]').count()).toBe(0);

    await page.click('[data-testid="action-add"]');
    const sheet = page.locator('[data-testid="action-sheet"]');
    await sheet.waitFor();
    const assign = sheet.locator('.van-action-sheet__item', { hasText: '分配订单' });
    expect(await assign.getAttribute('class')).toContain('van-action-sheet__item--disabled');
    expect(await assign.textContent()).toContain('需要带「订单号」的事件，定时规则没有');
    await shot(page, 'automation-action-sheet');
    await sheet.locator('.van-action-sheet__item', { hasText: '发送通知' }).click();
    await sheet.waitFor({ state: 'hidden' });
    const message = card(page, 0);
    await message.locator('[data-testid="param-roles"] [data-role="ops_manager"]').click();
    await message.locator('[data-testid="param-text"] textarea').fill('本周复盘：请更新各店铺数据');

    // The same rule's event trigger without an order: an order action already chosen is greyed with why.
    await page.click('[data-testid="trigger-kind"] [data-kind="event"]');
    await page.click('[data-testid="rule-event"]');
    await page.locator('[data-testid="event-sheet"] .van-action-sheet__item', { hasText: '新订单待认领' }).click();
    await page.click('[data-testid="action-add"]');
    await sheet.locator('.van-action-sheet__item', { hasText: '订单打标签' }).click();
    await sheet.waitFor({ state: 'hidden' });
    expect(await card(page, 1).getAttribute('data-unfit')).toBeNull();
    await page.click('[data-testid="rule-event"]');
    await page.locator('[data-testid="event-sheet"] .van-action-sheet__item', { hasText: '成员加入' }).click();
    await page.locator('[data-testid="event-sheet"]').waitFor({ state: 'hidden' });
    expect(await card(page, 1).getAttribute('data-unfit')).toBe('true');
    expect(await card(page, 1).locator('[data-testid="action-unfit"]').textContent()).toContain('需要带「订单号」的事件，「成员加入」没有');
    await card(page, 1).scrollIntoViewIfNeeded();
    await shot(page, 'automation-action-unfit');
    // Saving it anyway: the server refuses, under that action.
    await page.click('[data-testid="rule-save"]');
    await card(page, 1).locator('[data-testid="field-error"]').waitFor();
    expect(await card(page, 1).locator('[data-testid="field-error"]').textContent()).toContain('订单打标签');
    // Removed, the rule saves.
    await card(page, 1).locator('[data-testid="action-remove"]').click();
    await page.click('[data-testid="rule-save"]');
    await toast(page, '已保存，规则尚未启用');
    await page.waitForURL((u) => /^\/automations\/\d+$/.test(u.pathname));
    const path = new URL(page.url()).pathname;

    // On a desktop browser the page keeps to the app's column.
    const desktop = await newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await signIn(desktop, U.owner, path);
    await visible(desktop, '[data-testid="rule-status"][data-enabled="false"]');
    expect(await desktop.locator('[data-testid="action-card"]').count()).toBe(1);
    await visible(desktop, '[data-testid="runs-empty"]');
    await shot(desktop, 'automation-desktop');
  });

  test('陈静 starts from SKU 连续低于目标提醒运营: 运营 ticked, a project picked, the dry run finds no alert yet', async () => {
    const owner = (await apiSignIn(e2e.stack, U.owner)).browser;
    const project = await owner.json<{ id: number }>('/api/projects', {
      method: 'POST',
      body: JSON.stringify({ name: '店铺日常运营', start: '2030-01-01', end: '2030-12-31' }),
    });
    expect(project.status).toBe(201);

    const page = await newPage();
    await signIn(page, U.owner, '/automations/new?example=skuBelowTarget');
    await visible(page, '[data-testid="automation-form"]');
    expect(await page.inputValue('[data-testid="rule-name"] input')).toBe('SKU 连续低于目标提醒运营');
    expect(await page.getAttribute('[data-testid="rule-event-value"]', 'data-event')).toBe('metric.alert');
    const message = card(page, 0);
    expect(await message.getAttribute('data-key')).toBe('message.send');
    expect(await message.locator('[data-testid="param-roles"] [data-role="ops_manager"]').getAttribute('aria-checked')).toBe('true');
    expect(await message.locator('[data-testid="param-roles"] [aria-checked="true"]').count()).toBe(1);
    // The message keeps its `{field}` placeholders (filled from the alert when it runs).
    expect(await message.locator('[data-testid="param-text"] textarea').inputValue()).toBe('【{name}】{sku} {metric} {value}，未达 {line}（{day}）');
    const task = card(page, 1);
    expect(await task.locator('[data-testid="param-text"] textarea').inputValue()).toBe('{sku} 连续低于目标：调整关键词或价格');
    await task.locator('[data-testid="param-project"]').click();
    await page.locator('[data-testid="project-sheet"] .van-action-sheet__item', { hasText: '店铺日常运营' }).click();
    await page.locator('[data-testid="project-sheet"]').waitFor({ state: 'hidden' });
    expect(await task.locator('[data-testid="param-project"] input').inputValue()).toBe('店铺日常运营');

    // The server accepts the example as it is; no alert has fired in this corp yet.
    await page.click('[data-testid="rule-dry-run"]');
    await page.locator('[data-testid="dry-run-result"]').waitFor();
    expect((await page.textContent('[data-testid="dry-run-summary"]'))?.trim()).toBe('近 7 天检查了 0 条事件，命中 0 条');
    expect(await page.textContent('[data-testid="dry-run-result"]')).toContain('没有命中的事件');
    await toastGone(page);
    await task.scrollIntoViewIfNeeded();
    await shot(page, 'automation-sku-example');
  });
});
