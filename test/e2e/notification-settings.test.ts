/**
 * 通知设置 in headless Chromium at phone size (360×640, zh-CN), against the real server (SQLite, built
 * h5/dist) and the WeCom simulator with the demo corp 星河电商: the owner writes a rule for 成员加入 with the
 * live preview (a placeholder, then an unknown one), saves it and sends a test; registers a group robot
 * from a simulator webhook URL, routes a rule through it, sees a refused send in 失败的投递 and retries it;
 * creates an app group chat (应用群聊) with an owner and members from the address book and picks it in a rule;
 * members without notifications:manage see none of it. Screenshots land in
 * test/artifacts/screenshots/notifications-*.png.
 */
import type { Page } from 'playwright-core';
import { DEMO_USERS as U } from '../../scripts/wecom-sim';
import { maskSecret } from '../../server/src/lib/secret-box';
import { Delivery } from '../../server/src/modules/notifications/delivery.entity';
import { chineseLines, describeBrowser, useBrowserStack } from '../support/e2e';
import { waitFor } from '../support/wait';

describeBrowser('H5 通知设置 (Chromium 360×640, zh-CN)', () => {
  const e2e = useBrowserStack();
  const { url, newPage, signIn, shot, expectVisible: visible } = e2e;

  const toast = async (page: Page) => {
    await visible(page, '.van-toast');
    return (await page.locator('.van-toast').last().textContent())?.trim();
  };
  const template = '[data-testid="rule-template"] textarea';
  const previewText = (page: Page) => page.locator('[data-testid="rule-preview"]').textContent();

  /** 新建规则 → name and event picked from the catalogue's action sheet. */
  async function startRule(page: Page, name: string, eventLabel: string) {
    await page.click('[data-testid="new-rule"]');
    await page.waitForURL(url('/settings/notifications/rules/new'));
    await visible(page, '[data-testid="rule-form"]');
    await page.fill('[data-testid="rule-name"] input', name);
    await page.click('[data-testid="rule-event"]');
    await page.click(`.van-action-sheet__item:has-text("${eventLabel}")`);
    await page.locator('[data-testid="event-sheet"]').waitFor({ state: 'hidden' });
  }

  test('the owner writes a 成员加入 rule with the live preview, saves it and sends a test', async () => {
    const page = await newPage();
    await signIn(page, U.owner, '/me');

    // 我的 → 设置 → 通知设置
    await page.click('[data-testid="me-settings"]');
    await page.waitForURL(url('/settings'));
    await visible(page, '[data-settings="notifications"]');
    expect(await page.textContent('[data-settings="notifications"]')).toContain('通知设置');
    await page.click('[data-settings="notifications"]');
    await page.waitForURL(url('/settings/notifications'));
    expect(await page.textContent('.van-nav-bar__title')).toBe('通知设置');
    // The corp-wide default rules are there from the start (checklists, projects, figures: events about no shop).
    await visible(page, '[data-testid="rule-groups"]');
    expect(await page.textContent('[data-testid="rule-groups"]')).toContain('评论提及');
    expect(await page.textContent('[data-testid="link-robots"]')).toContain('群机器人');
    expect(await page.textContent('[data-testid="link-deliveries"]')).toContain('失败的投递');

    await startRule(page, '新成员加入提醒', '成员加入');
    expect(await page.textContent('[data-testid="rule-event-value"]')).toMatch(/^\s*成员加入\s+member\.joined\s*$/);
    expect(await page.textContent('[data-testid="condition-hint"]')).toContain('userid, name');
    // No default template for member events but the event's name; previewed as it is.
    expect(await page.inputValue(template)).toBe('{event_label}');
    await waitFor(async () => (await page.textContent('[data-testid="preview-text"]').catch(() => null))?.trim() === '成员加入', 'the default previewed');

    // A template with a placeholder typed, another inserted from the field chips: the preview follows.
    await page.fill(template, '新成员：');
    await page.click('[data-testid="field-chips"] [data-field-name="name"]');
    expect(await page.inputValue(template)).toBe('新成员：{name}');
    await page.locator(template).press('End');
    await page.locator(template).pressSequentially('（{userid}）');
    await waitFor(async () => (await page.getAttribute('[data-testid="rule-preview"]', 'data-state')) === 'text', 'the preview rendered');
    await waitFor(async () => (await page.textContent('[data-testid="preview-text"]'))?.trim() === '新成员：姓名（成员账号）', 'the preview of the new text');

    // An unknown placeholder: the server's sentence instead of a preview, in Chinese only.
    await page.fill(template, '新成员：{nope}');
    await visible(page, '[data-testid="preview-error"]');
    const previewError = (await page.textContent('[data-testid="preview-error"]'))!.trim();
    expect(previewError).toContain('未知字段 {nope}');
    expect(previewError).not.toContain('unknown placeholder');
    await page.locator('[data-testid="rule-preview"]').scrollIntoViewIfNeeded();
    await shot(page, 'notifications-rule-preview-error');

    // Fixed; saved without recipients, the server's reason shows under 接收人.
    await page.fill(template, '新成员：{name}（{userid}）加入了团队');
    await waitFor(async () => (await previewText(page))?.includes('新成员：姓名（成员账号）加入了团队'), 'the fixed template previewed');
    await page.click('[data-testid="rule-save"]');
    await visible(page, '[data-testid="recipients"] [data-testid="field-error"]');
    expect((await page.textContent('[data-testid="recipients"] [data-testid="field-error"]'))?.trim()).toBe('请至少选择一个接收人');
    expect(page.url()).toBe(url('/settings/notifications/rules/new'));

    // 店长 by role (the error goes), and a look at the whole editor.
    await page.click('[data-testid="recipient-roles"] [data-role="owner"]');
    expect(await page.getAttribute('[data-testid="recipient-roles"] [data-role="owner"]', 'aria-pressed')).toBe('true');
    expect(await page.locator('[data-testid="recipients"] [data-testid="field-error"]').count()).toBe(0);
    await page.locator('.van-toast').last().waitFor({ state: 'hidden' });
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'notifications-rule-editor', true);
    await page.locator('[data-testid="rule-preview"]').scrollIntoViewIfNeeded();
    await shot(page, 'notifications-rule-editor-preview');

    await page.click('[data-testid="rule-save"]');
    expect(await toast(page)).toBe('已保存');
    await page.waitForURL(/\/settings\/notifications\/rules\/\d+$/);
    const ruleId = Number(new URL(page.url()).pathname.split('/').pop());

    // 测试发送: the rule for a sample event, queued for every member with 店长.
    await page.click('[data-testid="rule-test"]');
    await visible(page, '.rule-test-result');
    expect(await page.textContent('.rule-test-result .van-dialog__header')).toBe('已加入发送队列');
    expect(await page.textContent('.rule-test-result .van-dialog__message')).toContain(`应用消息 → 成员 ${U.owner}`);
    await shot(page, 'notifications-rule-test');
    await page.click('.rule-test-result .van-dialog__confirm');

    // Opened by its address, the editor has the rule as saved.
    await page.reload();
    await visible(page, `[data-testid="rule-form"][data-rule-id="${ruleId}"]`);
    expect(await page.inputValue('[data-testid="rule-name"] input')).toBe('新成员加入提醒');
    expect(await page.inputValue(template)).toBe('新成员：{name}（{userid}）加入了团队');
    expect(await page.getAttribute('[data-testid="recipient-roles"] [data-role="owner"]', 'aria-pressed')).toBe('true');

    // The list: grouped under 成员加入 with its channel badge; the switch turns it off for good.
    await page.goto(url('/settings/notifications'));
    const row = page.locator(`[data-event="member.joined"] [data-rule-id="${ruleId}"]`);
    await row.waitFor({ state: 'visible' });
    expect(await page.textContent('[data-event="member.joined"] .rule-group__title')).toContain('成员加入');
    expect(await row.locator('[data-testid="rule-channel"]').textContent()).toBe('应用消息');
    expect(await row.textContent()).toContain('店长');
    await shot(page, 'notifications-rules');
    await row.locator('[data-testid="rule-switch"]').click();
    expect(await toast(page)).toBe('已停用「新成员加入提醒」');
    await page.reload();
    await page.locator(`[data-rule-id="${ruleId}"][data-enabled="false"]`).waitFor();

    // The test message went out: 投递记录 → 已发送.
    await page.click('[data-testid="link-deliveries"]');
    await page.waitForURL(url('/settings/notifications/deliveries'));
    await page.click('[data-testid="delivery-status"] .van-tab:has-text("已发送")');
    await page.waitForURL((u) => u.searchParams.get('status') === 'sent');
    const sent = page.locator('[data-testid="delivery-list"] [data-status="sent"]').first();
    await sent.waitFor();
    expect(await sent.textContent()).toContain('成员加入');
    expect(await sent.locator('[data-testid="delivery-target"]').textContent()).toBe(`成员 ${U.owner}`);
  });

  test('a group robot from a webhook URL: listed with its masked key; a refused send shows in 失败的投递 and 重试 delivers it; in use it cannot be deleted', async () => {
    const robot = e2e.stack.sim.createRobot('A店-运营-通知');
    const page = await newPage();
    await signIn(page, U.opsManager, '/settings/notifications');
    await page.click('[data-testid="link-robots"]');
    await page.waitForURL(url('/settings/notifications/robots'));
    await visible(page, '[data-testid="robots-empty"]');
    expect(await page.getAttribute('[data-testid="robot-name"] input', 'placeholder')).toBe('店名-部门-用途');

    // A URL on another host is refused, with the server's reason under the field.
    await page.fill('[data-testid="robot-name"] input', 'A店-运营-通知');
    await page.fill('[data-testid="robot-webhook"] textarea', 'https://example.com/cgi-bin/webhook/send?key=12345678');
    await page.click('[data-testid="robot-submit"]');
    await visible(page, '[data-testid="robot-webhook"] .van-field__error-message');
    expect(await page.textContent('[data-testid="robot-webhook"] .van-field__error-message')).toContain('机器人地址无效');

    await page.fill('[data-testid="robot-webhook"] textarea', robot.webhookUrl);
    await page.click('[data-testid="robot-submit"]');
    expect(await toast(page)).toBe('已添加群机器人');
    const listed = page.locator('[data-testid="robot-list"] li').first();
    await listed.waitFor();
    expect(await listed.locator('[data-testid="robot-name-text"]').textContent()).toBe('A店-运营-通知');
    expect(await listed.locator('[data-testid="robot-key"]').textContent()).toBe(maskSecret(robot.key));
    expect(await page.textContent('[data-testid="robot-list"]')).not.toContain(robot.key);
    await page.locator('.van-toast').last().waitFor({ state: 'hidden' });
    await shot(page, 'notifications-robots');

    // A rule sends 成员离开 through it.
    await page.goto(url('/settings/notifications'));
    await startRule(page, '成员离开通知群', '成员离开');
    // App messages may be approval-style cards; robots cannot take clicks, so they are not offered one.
    await page.locator('[data-testid="rule-format"] [data-format="card"]').waitFor();
    await page.click('[data-testid="rule-channel"] [data-channel="robot"]');
    expect(await page.locator('[data-testid="rule-format"] [data-format="card"]').count()).toBe(0);
    await page.click('[data-testid="rule-robot"]');
    await page.click('.van-action-sheet__item:has-text("A店-运营-通知")');
    expect(await page.inputValue('[data-testid="rule-robot"] input')).toBe('A店-运营-通知');
    await page.click('[data-testid="rule-save"]');
    expect(await toast(page)).toBe('已保存');
    await page.waitForURL(/\/settings\/notifications\/rules\/\d+$/);

    // WeCom refuses the test message for good (93000): the delivery is dead.
    e2e.stack.sim.injectFault('/cgi-bin/webhook/send', { errcode: 93000 });
    await page.click('[data-testid="rule-test"]');
    await visible(page, '.rule-test-result');
    expect(await page.textContent('.rule-test-result .van-dialog__message')).toContain('群机器人 → A店-运营-通知');
    await page.click('.rule-test-result .van-dialog__confirm');
    const deliveries = e2e.stack.app.container.ds.getRepository(Delivery);
    const dead = await waitFor(() => deliveries.findOneBy({ status: 'dead', channel: 'robot' }), 'the refused delivery dead');

    await page.goto(url('/settings/notifications/deliveries'));
    const item = page.locator(`[data-delivery-id="${dead.id}"]`);
    await item.waitFor();
    expect(await item.getAttribute('data-status')).toBe('dead');
    expect(await item.textContent()).toContain('成员离开');
    expect(await item.locator('[data-testid="delivery-target"]').textContent()).toBe('A店-运营-通知');
    expect(await item.locator('[data-testid="delivery-error"]').textContent()).toContain('93000');
    await shot(page, 'notifications-deliveries-dead');
    await item.locator('[data-testid="delivery-retry"]').click();
    expect(await toast(page)).toBe('已重新加入发送队列');
    expect(await item.locator('[data-testid="delivery-state"]').textContent()).toBe('待发送');
    await waitFor(() => e2e.stack.sim.robotMessages(robot.key).length === 1, 'the retried message delivered to the robot');

    // The rule still uses the robot: 删除 is refused with the server's reason.
    await page.goto(url('/settings/notifications/robots'));
    await page.locator('[data-testid="robot-list"] [data-testid="robot-delete"]').first().click();
    await page.click('.van-dialog__confirm');
    await visible(page, '.robot-in-use');
    expect(await page.textContent('.robot-in-use .van-dialog__message')).toContain('还有 1 条通知规则使用这个机器人');
  });

  test('an app group chat created from the H5 (owner and members from the address book) is picked in a rule and gets its messages; in use it cannot be removed', async () => {
    const chatName = '星河电商-客服-售后群';
    const page = await newPage();
    await signIn(page, U.owner, '/settings/notifications');
    expect(await page.textContent('[data-testid="link-chats"]')).toContain('应用群聊');
    await page.click('[data-testid="link-chats"]');
    await page.waitForURL(url('/settings/notifications/chats'));
    expect(await page.textContent('.van-nav-bar__title')).toBe('应用群聊');
    await visible(page, '[data-testid="chats-empty"]');
    await visible(page, '[data-testid="chat-hint"]');
    expect(await page.getAttribute('[data-testid="chat-name"] input', 'placeholder')).toBe('店名-部门-用途');
    expect(await page.textContent('[data-testid="chat-hint"]')).toContain('根部门');

    /** Searches the address book in an open member sheet and taps the member. */
    const pick = async (sheet: string, query: string, userid: string) => {
      await page.fill(`${sheet} [data-testid="member-search"] input`, query);
      await page.click(`${sheet} [data-testid="member-picker"] [data-userid="${userid}"]`);
    };

    // 群主 王芳: picked from the address book, a member at once (and not removable as one).
    await page.fill('[data-testid="chat-name"] input', chatName);
    await page.click('[data-testid="chat-owner"]');
    await visible(page, '[data-testid="owner-sheet"]');
    await pick('[data-testid="owner-sheet"]', '王芳', U.csLead);
    await page.locator('[data-testid="owner-sheet"]').waitFor({ state: 'hidden' });
    expect(await page.inputValue('[data-testid="chat-owner"] input')).toBe('王芳');
    expect(await page.textContent(`[data-testid="chat-members"] [data-member="${U.csLead}"]`)).toContain('群主');

    // One member is not a group: the server's reason under 群成员.
    await page.click('[data-testid="chat-submit"]');
    await visible(page, '[data-testid="chat-members"] [data-testid="field-error"]');
    expect(await page.textContent('[data-testid="chat-members"] [data-testid="field-error"]')).toContain('群成员需要 2-2000 人');
    expect(e2e.stack.sim.appchat('csAftersale')).toBeUndefined();

    // Two more members; the sheet stays open until 完成.
    await page.click('[data-testid="chat-add-members"]');
    await visible(page, '[data-testid="members-sheet"]');
    await pick('[data-testid="members-sheet"]', '李娜', U.csAgent);
    await pick('[data-testid="members-sheet"]', '赵磊', U.csAgent2);
    expect((await page.textContent('[data-testid="members-picked"]'))?.trim()).toBe('已选 3 人');
    await shot(page, 'notifications-chat-members');
    await page.click('[data-testid="members-done"]');
    await page.locator('[data-testid="members-sheet"]').waitFor({ state: 'hidden' });
    expect(await page.locator('[data-testid="chat-members"] [data-member]').evaluateAll((els) => els.map((e) => e.getAttribute('data-member')))).toEqual([
      U.csLead,
      U.csAgent,
      U.csAgent2,
    ]);
    expect(await page.locator('[data-testid="chat-members"] [data-testid="field-error"]').count()).toBe(0);
    await page.fill('[data-testid="chat-chatid"] input', 'csAftersale');
    await page.click('[data-testid="chat-submit"]');
    expect(await toast(page)).toBe('已创建应用群聊');

    // Created in WeCom with that owner and those members, and listed.
    const created = e2e.stack.sim.appchat('csAftersale');
    expect(created).toMatchObject({ name: chatName, owner: U.csLead });
    expect([...created!.userlist].sort()).toEqual([U.csLead, U.csAgent, U.csAgent2].sort());
    const row = page.locator('[data-testid="chat-list"] [data-chatid="csAftersale"]');
    await row.waitFor();
    expect(await row.locator('[data-testid="chat-name-text"]').textContent()).toBe(chatName);
    expect((await row.locator('[data-testid="chat-people"]').textContent())?.replace(/\s+/g, ' ').trim()).toBe('群主 王芳 · 3 名成员');
    expect(await page.inputValue('[data-testid="chat-name"] input')).toBe('');
    await page.locator('.van-toast').last().waitFor({ state: 'hidden' });
    await shot(page, 'notifications-chats', true);

    // A rule for 成员加入 picks the chat from the registered ones (no chatid to type).
    await page.goto(url('/settings/notifications'));
    await startRule(page, '售后群新人通知', '成员加入');
    await page.click('[data-testid="rule-channel"] [data-channel="appchat"]');
    await page.click('[data-testid="rule-chat"]');
    await visible(page, '[data-testid="chat-sheet"]');
    await page.click(`[data-testid="chat-sheet"] .van-action-sheet__item:has-text("${chatName}")`);
    expect(await page.inputValue('[data-testid="rule-chat"] input')).toBe(chatName);
    await page.fill(template, '新同事 {name} 加入售后');
    await page.click('[data-testid="rule-save"]');
    expect(await toast(page)).toBe('已保存');
    await page.waitForURL(/\/settings\/notifications\/rules\/\d+$/);
    await shot(page, 'notifications-rule-appchat');

    // 测试发送: into the chat, named by the chat's name.
    await page.click('[data-testid="rule-test"]');
    await visible(page, '.rule-test-result');
    expect(await page.textContent('.rule-test-result .van-dialog__message')).toContain(`应用群聊 → ${chatName}`);
    await page.click('.rule-test-result .van-dialog__confirm');
    await waitFor(() => e2e.stack.sim.appchatMessages('csAftersale').length === 1, 'the test message in the app chat');
    expect(JSON.stringify(e2e.stack.sim.appchatMessages('csAftersale')[0]!.content)).toContain('加入售后');

    // The list names the chat; the chat a rule sends to cannot be removed.
    await page.goto(url('/settings/notifications'));
    const ruleRow = page.locator('[data-event="member.joined"] [data-rule-id]', { hasText: '售后群新人通知' });
    await ruleRow.waitFor();
    expect(await ruleRow.locator('[data-testid="rule-channel"]').textContent()).toBe('应用群聊');
    expect(await ruleRow.textContent()).toContain(`发到群聊 ${chatName}`);
    await page.goto(url('/settings/notifications/chats'));
    await row.locator('[data-testid="chat-delete"]').click();
    await visible(page, '.chat-delete-confirm');
    expect(await page.textContent('.chat-delete-confirm .van-dialog__message')).toContain('群本身会保留');
    await page.click('.chat-delete-confirm .van-dialog__confirm');
    await visible(page, '.chat-in-use');
    expect(await page.textContent('.chat-in-use .van-dialog__message')).toContain('还有 1 条通知规则发到这个群聊');
  });

  test('members without notifications:manage do not see 通知设置 and are refused its pages', async () => {
    // 李娜 (客服): no 设置 at all.
    const agent = await newPage();
    await signIn(agent, U.csAgent, '/me');
    await visible(agent, '[data-testid="me-permissions"]');
    expect(await agent.locator('[data-testid="me-settings"]').count()).toBe(0);
    for (const path of ['/settings/notifications', '/settings/notifications/rules/new', '/settings/notifications/robots', '/settings/notifications/chats']) {
      await agent.goto(url(path));
      await visible(agent, '[data-page="forbidden"]');
    }

    // 孙丽 (财务) reaches 设置 for 操作日志, without 通知设置 in it.
    const finance = await newPage();
    await signIn(finance, U.finance, '/settings');
    await visible(finance, '[data-settings="audit"]');
    expect(await finance.locator('[data-settings]').evaluateAll((els) => els.map((e) => e.getAttribute('data-settings')))).toEqual(['roles', 'audit']);
    await finance.goto(url('/settings/notifications/deliveries'));
    await visible(finance, '[data-page="forbidden"]');
  });

  test('in English the 通知设置 pages show no Chinese UI text', async () => {
    const page = await newPage();
    await signIn(page, U.owner, '/me');
    await page.click('[data-locale="en"]');
    await waitFor(() => page.evaluate(() => document.documentElement.lang === 'en'), 'the English messages loaded');
    // Data stays as the server has it: event labels, rule and robot names, member names, the group name hint.
    const corp = e2e.stack.sim.corp;
    const data = [
      '成员加入',
      '成员离开',
      '成员账号变更',
      '新成员加入提醒',
      '成员离开通知群',
      'A店-运营-通知',
      '星河电商-客服-售后群',
      '售后群新人通知',
      '店名-部门-用途',
      ...[...corp.members.values()].map((m) => m.name),
    ];
    // …and the corp-wide default rules' names and their events' labels, which are data too.
    const defaults = (await (await page.request.get(url('/api/notifications/rules'))).json()) as { rules: Array<{ name: string; eventLabel: string }> };
    data.push(...defaults.rules.flatMap((r) => [r.name, r.eventLabel]));
    const pages: Array<[string, string]> = [
      ['/settings', '[data-settings="notifications"]'],
      ['/settings/notifications', '[data-testid="link-robots"]'],
      ['/settings/notifications/rules/new', '[data-testid="rule-form"]'],
      ['/settings/notifications/robots', '[data-testid="robot-form"]'],
      ['/settings/notifications/chats', '[data-testid="chat-list"]'],
      ['/settings/notifications/deliveries', '[data-testid="delivery-status"]'],
    ];
    for (const [path, ready] of pages) {
      await page.goto(url(path));
      await visible(page, ready);
      expect({ path, lines: await chineseLines(page, data) }).toEqual({ path, lines: [] });
    }
  });
});
