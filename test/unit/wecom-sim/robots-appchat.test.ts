// Group robots (https://developer.work.weixin.qq.com/document/path/99110) and app group chats
// (https://developer.work.weixin.qq.com/document/path/90245, 90248) in the simulator.
import { DEMO_USERS as U } from '../../../scripts/wecom-sim/demo-corp';
import { getJson, postJson, startTestSim, type TestSim } from './helpers';

describe('wecom-sim group robots', () => {
  let t: TestSim;
  beforeEach(async () => {
    t = await startTestSim();
  });
  afterEach(async () => {
    await t.sim.close();
  });

  test('robots are created over the control API; text / markdown with mentions are recorded', async () => {
    const created = await postJson(`${t.sim.url}/__sim/robots`, { name: '客服群' });
    expect(created).toMatchObject({
      ok: true,
      key: expect.stringMatching(/^[0-9a-f-]{36}$/),
      webhookUrl: `${t.sim.url}/cgi-bin/webhook/send?key=${created['key']}`,
    });
    expect((await getJson(`${t.sim.url}/__sim/robots`))['robots']).toEqual([expect.objectContaining({ key: created['key'], name: '客服群', messages: 0 })]);
    const hook = created['webhookUrl'] as string;
    const text = await postJson(hook, {
      msgtype: 'text',
      text: { content: '新退款单 <@wangfang>', mentioned_list: ['lina', '@all', 'ghost'], mentioned_mobile_list: ['13800001111'] },
    });
    expect(text).toMatchObject({ errcode: 0, errmsg: 'ok' });
    await postJson(hook, { msgtype: 'markdown', markdown: { content: '请 <@zhaolei> 处理\n><font color="warning">逾期</font>' } });
    await postJson(hook, { msgtype: 'markdown_v2', markdown_v2: { content: '# 日报\n<@lina> 不解析' } });
    await postJson(hook, { msgtype: 'news', news: { articles: [{ title: '大促攻略', url: 'https://x.test/a' }] } });
    await postJson(hook, {
      msgtype: 'template_card',
      template_card: { card_type: 'text_notice', main_title: { title: '公告' }, card_action: { type: 1, url: 'https://x.test' } },
    });
    const msgs = t.sim.robotMessages(created['key']);
    expect(msgs.map((m) => m.msgtype)).toEqual(['text', 'markdown', 'markdown_v2', 'news', 'template_card']);
    expect(msgs[0]).toMatchObject({ mentions: [U.csAgent, U.csLead], mentionedAll: true, mentionedMobiles: ['13800001111'], unknownMentions: ['ghost'] });
    expect(msgs[1]).toMatchObject({ mentions: [U.csAgent2], mentionedAll: false });
    expect(msgs[2]!.mentions).toEqual([]);
    const page = await (await fetch(`${t.sim.url}/__sim/robots/${created['key']}/page`)).text();
    expect(page).toContain('客服群');
    expect(page).toContain('<span class="at">@赵磊</span>');
    expect(page.indexOf('大促攻略')).toBeLessThan(page.indexOf('新退款单')); // newest first
    expect((await getJson(`${t.sim.url}/__sim/robots/${created['key']}/messages`))['messages']).toHaveLength(5);
  });

  test('unknown key 93000; over-long content 40058; button cards 40058', async () => {
    const { key, webhookUrl } = t.sim.createRobot('仓储群');
    expect((await postJson(`${t.sim.url}/cgi-bin/webhook/send?key=nope`, { msgtype: 'text', text: { content: 'x' } }))['errcode']).toBe(93000);
    expect((await postJson(`${t.sim.url}/cgi-bin/webhook/send`, { msgtype: 'text', text: { content: 'x' } }))['errcode']).toBe(93000);
    const longText = await postJson(webhookUrl, { msgtype: 'text', text: { content: '字'.repeat(683) } });
    expect(longText).toMatchObject({ errcode: 40058, errmsg: expect.stringContaining('text.content exceed max length 2048') });
    expect((await postJson(webhookUrl, { msgtype: 'markdown', markdown: { content: '字'.repeat(1365) } }))['errcode']).toBe(0); // 4095 bytes
    const longMd = await postJson(webhookUrl, { msgtype: 'markdown', markdown: { content: '字'.repeat(1366) } });
    expect(longMd['errmsg']).toMatch(/^markdown\.content exceed max length 4096\. /);
    const card = { card_type: 'button_interaction', main_title: { title: 'x' }, task_id: 't1', button_list: [{ text: 'ok', key: 'k' }] };
    expect((await postJson(webhookUrl, { msgtype: 'template_card', template_card: card }))['errcode']).toBe(40058);
    expect(t.sim.robotMessages(key)).toHaveLength(1);
  });

  test('20 messages per minute per robot, sliding: the 21st is 45009 and a robot_minute violation', async () => {
    const a = t.sim.createRobot('A');
    const b = t.sim.createRobot('B');
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) {
      codes.push((await postJson(a.webhookUrl, { msgtype: 'text', text: { content: `m${i}` } }))['errcode']);
      t.advance(1_000);
    }
    expect(codes.slice(0, 20).every((c) => c === 0)).toBe(true);
    expect(codes[20]).toBe(45009);
    expect((await postJson(b.webhookUrl, { msgtype: 'text', text: { content: 'other robot' } }))['errcode']).toBe(0);
    expect(t.sim.stats.limitViolations).toEqual([expect.objectContaining({ kind: 'robot_minute', robotKey: a.key, limit: 20 })]);
    t.advance(39_001); // the first message (t = 0) is now more than 60 s old
    expect((await postJson(a.webhookUrl, { msgtype: 'text', text: { content: 'again' } }))['errcode']).toBe(0);
    expect((await postJson(a.webhookUrl, { msgtype: 'text', text: { content: 'again' } }))['errcode']).toBe(45009);
    expect(t.sim.robotMessages(a.key)).toHaveLength(21);
  });

  test('fail-next works on the webhook path', async () => {
    const { webhookUrl } = t.sim.createRobot('C');
    t.sim.injectFault('webhook/send', { httpStatus: 503 });
    const res = await fetch(webhookUrl, { method: 'POST', body: JSON.stringify({ msgtype: 'text', text: { content: 'x' } }) });
    expect(res.status).toBe(503);
    t.sim.failNext('/cgi-bin/webhook/send', -1);
    expect((await postJson(webhookUrl, { msgtype: 'text', text: { content: 'x' } }))['errcode']).toBe(-1);
    expect((await postJson(webhookUrl, { msgtype: 'text', text: { content: 'x' } }))['errcode']).toBe(0);
  });
});

describe('wecom-sim app group chats', () => {
  let t: TestSim;
  beforeEach(async () => {
    t = await startTestSim();
  });
  afterEach(async () => {
    await t.sim.close();
  });

  test('create, get, update, send; members receive it in their inbox', async () => {
    const created = await t.api('appchat/create', {
      name: '售后协同',
      owner: U.csAftersaleLead,
      userlist: [U.csAftersaleLead, U.csAgent2, U.csAgent4],
      chatid: 'aftersale01',
    });
    expect(created).toEqual({ errcode: 0, errmsg: 'ok', chatid: 'aftersale01' });
    const tok = await t.token();
    const got = await getJson(`${t.sim.url}/cgi-bin/appchat/get?access_token=${tok}&chatid=aftersale01`);
    expect(got).toMatchObject({
      errcode: 0,
      chat_info: { chatid: 'aftersale01', name: '售后协同', owner: U.csAftersaleLead, userlist: [U.csAftersaleLead, U.csAgent2, U.csAgent4] },
    });
    expect(await t.api('appchat/update', { chatid: 'aftersale01', name: '售后群', add_user_list: [U.warehouse], del_user_list: [U.csAgent4] })).toMatchObject({
      errcode: 0,
    });
    expect(t.sim.appchat('aftersale01')).toMatchObject({ name: '售后群', userlist: [U.csAftersaleLead, U.csAgent2, U.warehouse] });
    expect(await t.api('appchat/send', { chatid: 'aftersale01', msgtype: 'text', text: { content: '退货已入库' }, safe: 0 })).toEqual({
      errcode: 0,
      errmsg: 'ok',
    });
    expect(await t.api('appchat/send', { chatid: 'aftersale01', msgtype: 'markdown', markdown: { content: '**今日** 3 单' } })).toMatchObject({ errcode: 0 });
    expect(t.sim.inboxOf(U.warehouse).map((i) => [i.source, i.chatid, i.msgtype])).toEqual([
      ['appchat', 'aftersale01', 'markdown'],
      ['appchat', 'aftersale01', 'text'],
    ]);
    expect(t.sim.inboxOf(U.csAgent4)).toHaveLength(0);
    expect(t.sim.appchatMessages('aftersale01')).toHaveLength(2);
    const page = await (await fetch(`${t.sim.url}/__sim/inbox?as=${U.warehouse}`)).text();
    expect(page).toContain('群聊 · 售后群');
    // A generated chatid matches [0-9a-zA-Z]{1,32}
    const gen = await t.api('appchat/create', { userlist: [U.owner, U.ownerAssistant] });
    expect(gen['chatid']).toMatch(/^[0-9a-zA-Z]{1,32}$/);
    expect([U.owner, U.ownerAssistant]).toContain(t.sim.appchat(gen['chatid'])!.owner);
  });

  test('errors: duplicate chatid 86215, bad chatid 86001, unknown 86003, member count 86006, bad member 86007, owner 86207', async () => {
    const two = [U.owner, U.ownerAssistant];
    expect((await t.api('appchat/create', { userlist: two, chatid: 'dup1' }))['errcode']).toBe(0);
    expect((await t.api('appchat/create', { userlist: two, chatid: 'dup1' }))['errcode']).toBe(86215);
    expect((await t.api('appchat/create', { userlist: two, chatid: 'bad-id' }))['errcode']).toBe(86001);
    expect((await t.api('appchat/create', { userlist: [U.owner] }))['errcode']).toBe(86006);
    expect((await t.api('appchat/create', { userlist: [U.owner, 'ghost'] }))['errcode']).toBe(86007);
    expect((await t.api('appchat/create', { userlist: two, owner: U.csAgent }))['errcode']).toBe(86207);
    expect((await t.api('appchat/send', { chatid: 'nochat', msgtype: 'text', text: { content: 'x' } }))['errcode']).toBe(86003);
    const tok = await t.token();
    expect((await getJson(`${t.sim.url}/cgi-bin/appchat/get?access_token=${tok}&chatid=nochat`))['errcode']).toBe(86003);
    expect((await t.api('appchat/send', { chatid: 'dup1', msgtype: 'text', text: { content: '字'.repeat(683) } }))['errcode']).toBe(40058);
    expect(
      (await t.api('appchat/send', { chatid: 'dup1', msgtype: 'news', safe: 1, news: { articles: [{ title: 't', url: 'https://x.test' }] } }))['errcode'],
    ).toBe(40074);
  });

  test('beyond 200/min per member app-chat messages are dropped silently (appchat_member_minute)', async () => {
    await t.api('appchat/create', { userlist: [U.owner, U.ownerAssistant], chatid: 'busy' });
    for (let i = 0; i < 200; i++) await t.api('appchat/send', { chatid: 'busy', msgtype: 'text', text: { content: `m${i}` } });
    expect(t.sim.stats.limitViolations).toEqual([]);
    expect(await t.api('appchat/send', { chatid: 'busy', msgtype: 'text', text: { content: 'm200' } })).toMatchObject({ errcode: 0 });
    expect(t.sim.inboxOf(U.owner)).toHaveLength(200);
    expect(t.sim.stats.limitViolations.map((v) => [v.kind, v.userid, v.chatid])).toEqual([
      ['appchat_member_minute', U.owner, 'busy'],
      ['appchat_member_minute', U.ownerAssistant, 'busy'],
    ]);
    t.advance(60_001);
    await t.api('appchat/send', { chatid: 'busy', msgtype: 'text', text: { content: 'later' } });
    expect(t.sim.inboxOf(U.owner)).toHaveLength(201);
  });
});
