// message/send in the simulator (https://developer.work.weixin.qq.com/document/path/90236): message types, recipients,
// byte limits, agentid, duplicate check, per-member silent drops, and injected faults.
import { DEMO_DEPARTMENTS as D, DEMO_TAGS as T, DEMO_USERS as U } from '../../../scripts/wecom-sim/demo-corp';
import { approvalCard, getJson, postJson, startTestSim, type TestSim } from './helpers';

describe('wecom-sim message/send', () => {
  let t: TestSim;
  beforeEach(async () => {
    t = await startTestSim({ callbackUrl: 'http://127.0.0.1:9/unused' });
  });
  afterEach(async () => {
    await t.sim.close();
  });

  test('text, markdown and textcard reach the member inbox, newest first', async () => {
    const a = await t.send({ touser: U.csAgent, msgtype: 'text', text: { content: '你好 <a href="https://x.test">订单</a>' } });
    expect(a).toMatchObject({ errcode: 0, errmsg: 'ok', invaliduser: '', invalidparty: '', invalidtag: '' });
    expect(a['msgid']).toEqual(expect.any(String));
    expect(a).not.toHaveProperty('response_code');
    await t.send({ touser: U.csAgent, msgtype: 'markdown', markdown: { content: '**待办** 3 件' } });
    const c = await t.send({
      touser: U.csAgent,
      msgtype: 'textcard',
      textcard: { title: '新工单', description: '<div class="gray">2024-06-01</div>', url: 'https://x.test/t/1', btntxt: '查看' },
    });
    expect(c['errcode']).toBe(0);
    expect(t.sim.inboxOf(U.csAgent).map((i) => i.msgtype)).toEqual(['textcard', 'markdown', 'text']);
    expect(t.sim.inboxOf(U.csAgent)[2]).toMatchObject({ source: 'app', msgid: a['msgid'], content: { content: expect.stringContaining('你好') } });
    expect(t.sim.stats.messages.map((m) => m.delivered)).toEqual([[U.csAgent], [U.csAgent], [U.csAgent]]);
  });

  test('template_card returns a fresh response_code and records every recipient', async () => {
    const r = await t.send({ touser: `${U.owner}|${U.financeLead}`, msgtype: 'template_card', template_card: approvalCard('exp-0001') });
    expect(r).toMatchObject({ errcode: 0, invaliduser: '' });
    expect(r['response_code']).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const r2 = await t.send({ touser: U.owner, msgtype: 'template_card', template_card: approvalCard('exp-0002') });
    expect(r2['response_code']).not.toBe(r['response_code']);
    expect(t.sim.cardState('exp-0001', U.financeLead)).toMatchObject({ status: 'active', taskId: 'exp-0001' });
    expect(
      t.sim
        .card('exp-0001')!
        .members.map((m) => m.userid)
        .sort(),
    ).toEqual([U.owner, U.financeLead].sort());
  });

  test('recipients: invalid ones listed lower-cased, parties and tags expanded, all invalid → 81013', async () => {
    const r = await t.send({
      touser: `lina|Ghost|NOBODY`,
      toparty: `${D.warehouse}|999`,
      totag: `${T.financeApprovers}|77`,
      msgtype: 'text',
      text: { content: 'x' },
    });
    expect(r).toMatchObject({ errcode: 0, invaliduser: 'ghost|nobody', invalidparty: '999', invalidtag: '77' });
    const got = t.sim.stats.messages[0]!.delivered!;
    expect(got).toEqual(expect.arrayContaining([U.csAgent, U.warehouseLead, U.warehouse, U.warehouse2]));
    expect((await t.send({ touser: 'ghost', toparty: '999', msgtype: 'text', text: { content: 'x' } }))['errcode']).toBe(81013);
    expect((await t.send({ touser: 'LiNa', msgtype: 'text', text: { content: 'x' } }))['invaliduser']).toBe(''); // userids are case-insensitive
    const all = await t.send({ touser: '@all', msgtype: 'text', text: { content: '全员通知' } });
    expect(all['errcode']).toBe(0);
    expect(t.sim.inboxOf(U.inactive)).toHaveLength(0); // @all reaches active members only
    expect(t.sim.inboxOf(U.designer)).toHaveLength(1);
    const many = Array.from({ length: 1001 }, (_, i) => `u${i}`).join('|');
    expect((await t.send({ touser: many, msgtype: 'text', text: { content: 'x' } }))['errcode']).toBe(40032);
    expect((await t.send({ msgtype: 'text', text: { content: 'x' } }))['errcode']).toBe(82001);
  });

  test('byte limits count UTF-8 bytes (a Chinese character is 3 bytes) → 40058 naming the field', async () => {
    const ok = await t.send({ touser: U.csAgent, msgtype: 'text', text: { content: '汉'.repeat(682) + 'ab' } }); // 2048 bytes
    expect(ok['errcode']).toBe(0);
    const long = await t.send({ touser: U.csAgent, msgtype: 'text', text: { content: '汉'.repeat(683) } }); // 2049 bytes
    expect(long['errcode']).toBe(40058);
    expect(long['errmsg']).toMatch(/^text\.content exceed max length 2048\. invalid Request Parameter, hint: /);
    const md = await t.send({ touser: U.csAgent, msgtype: 'markdown', markdown: { content: '单'.repeat(683) } });
    expect(md).toMatchObject({ errcode: 40058, errmsg: expect.stringContaining('markdown.content exceed max length 2048') });
    const title = await t.send({ touser: U.csAgent, msgtype: 'textcard', textcard: { title: '标'.repeat(43), description: 'd', url: 'https://x.test' } });
    expect(title).toMatchObject({ errcode: 40058, errmsg: expect.stringContaining('textcard.title exceed max length 128') });
    const desc = await t.send({ touser: U.csAgent, msgtype: 'textcard', textcard: { title: 't', description: '描'.repeat(171), url: 'https://x.test' } });
    expect(desc['errmsg']).toContain('textcard.description exceed max length 512');
    expect(
      (await t.send({ touser: U.csAgent, msgtype: 'textcard', textcard: { title: '标'.repeat(42), description: '描'.repeat(170), url: 'https://x.test' } }))[
        'errcode'
      ],
    ).toBe(0);
    expect(t.sim.inboxOf(U.csAgent)).toHaveLength(2);
  });

  test('agentid: missing 41011, wrong 40056 "invalid agentid"; unsupported msgtype 40008', async () => {
    const tok = await t.token();
    const send = (body: unknown): Promise<Record<string, any>> => postJson(`${t.sim.url}/cgi-bin/message/send?access_token=${tok}`, body); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect((await send({ touser: U.csAgent, msgtype: 'text', text: { content: 'x' } }))['errcode']).toBe(41011);
    const wrong = await send({ touser: U.csAgent, msgtype: 'text', agentid: 1000003, text: { content: 'x' } });
    expect(wrong).toMatchObject({ errcode: 40056, errmsg: expect.stringMatching(/^invalid agentid, hint: /) });
    expect((await send({ touser: U.csAgent, msgtype: 'text', agentid: '1000002', text: { content: 'x' } }))['errcode']).toBe(0);
    expect((await t.send({ touser: U.csAgent, msgtype: 'voice', voice: { media_id: 'm' } }))['errcode']).toBe(40008);
    expect((await t.send({ touser: U.csAgent, msgtype: 'text' }))['errcode']).toBe(40008);
  });

  test('template_card rules: task_id required, charset, ≤ 128 bytes, unique per app; buttons 1..6 with unique keys; main_title', async () => {
    const card = (taskId: unknown, extra = {}): Record<string, unknown> => ({
      touser: U.owner,
      msgtype: 'template_card',
      template_card: { ...approvalCard(String(taskId)), task_id: taskId, ...extra },
    });
    expect((await t.send(card(undefined)))['errmsg']).toContain('template_card.task_id missing');
    expect((await t.send(card('bad id!')))['errmsg']).toContain('template_card.task_id invalid');
    expect((await t.send(card('a'.repeat(129))))['errcode']).toBe(40058);
    expect((await t.send(card('a@b_c-1' + 'x'.repeat(121))))['errcode']).toBe(0); // 128 bytes, all allowed characters
    const dup = await t.send(card('a@b_c-1' + 'x'.repeat(121)));
    expect(dup).toMatchObject({ errcode: 40058, errmsg: expect.stringContaining('duplicated') });
    const seven = Array.from({ length: 7 }, (_, i) => ({ text: `b${i}`, key: `k${i}` }));
    expect((await t.send(card('t-7', { button_list: seven })))['errmsg']).toContain('button_list size must be 1..6');
    expect((await t.send(card('t-0', { button_list: [] })))['errcode']).toBe(40058);
    const twice = [
      { text: '同意', key: 'same' },
      { text: '驳回', key: 'same' },
    ];
    expect((await t.send(card('t-dupkey', { button_list: twice })))['errmsg']).toContain('button_list.key duplicated');
    expect((await t.send(card('t-longkey', { button_list: [{ text: 'x', key: 'k'.repeat(1025) }] })))['errcode']).toBe(40058);
    expect((await t.send(card('t-notitle', { main_title: undefined })))['errmsg']).toContain('main_title missing');
    expect((await t.send(card('t-type', { card_type: 'fancy' })))['errcode']).toBe(40058);
    // A rejected card did not consume its task_id.
    expect((await t.send(card('t-7')))['errcode']).toBe(0);
  });

  test('interactive cards need a callback URL (43012)', async () => {
    t.sim.setCallbackUrl(undefined);
    expect((await t.send({ touser: U.owner, msgtype: 'template_card', template_card: approvalCard('no-cb') }))['errcode']).toBe(43012);
    const notice = { card_type: 'text_notice', main_title: { title: '公告' }, card_action: { type: 1, url: 'https://x.test' } };
    expect((await t.send({ touser: U.owner, msgtype: 'template_card', template_card: notice }))['errcode']).toBe(0);
  });

  test('enable_duplicate_check: an identical message within the interval is answered ok but not delivered again', async () => {
    const body = { touser: U.csAgent, msgtype: 'text', text: { content: '库存告警' }, enable_duplicate_check: 1, duplicate_check_interval: 600 };
    const first = await t.send(body);
    t.advance(599_000);
    const second = await t.send(body);
    expect(second).toMatchObject({ errcode: 0, msgid: first['msgid'] });
    expect(t.sim.stats.duplicateSuppressed).toEqual([expect.objectContaining({ msgid: first['msgid'] })]);
    expect(t.sim.inboxOf(U.csAgent)).toHaveLength(1);
    await t.send({ ...body, touser: `${U.csAgent}|${U.csAgent2}` }); // other recipients: not identical, delivered
    expect(t.sim.inboxOf(U.csAgent)).toHaveLength(2);
    t.advance(2_000); // 601 s after the first: outside the interval
    const third = await t.send(body);
    expect(third['msgid']).not.toBe(first['msgid']);
    await t.send({ ...body, enable_duplicate_check: 0 }); // check off: delivered although identical
    expect(t.sim.inboxOf(U.csAgent)).toHaveLength(4);
    expect((await t.send({ ...body, duplicate_check_interval: 14401 }))['errcode']).toBe(40058);
  });

  test('duplicate_check_interval defaults to 1800 s', async () => {
    const body = { touser: U.csAgent, msgtype: 'markdown', markdown: { content: '日报' }, enable_duplicate_check: 1 };
    await t.send(body);
    t.advance(1_799_000);
    await t.send(body);
    expect(t.sim.inboxOf(U.csAgent)).toHaveLength(1);
    t.advance(2_000);
    await t.send(body);
    expect(t.sim.inboxOf(U.csAgent)).toHaveLength(2);
  });

  test('beyond 30/min or 1000/h per member the message is dropped silently and recorded as a violation', async () => {
    for (let i = 0; i < 30; i++) expect((await t.send({ touser: U.csAgent, msgtype: 'text', text: { content: `m${i}` } }))['errcode']).toBe(0);
    expect(t.sim.stats.limitViolations).toEqual([]);
    const over = await t.send({ touser: `${U.csAgent}|${U.csAgent2}`, msgtype: 'text', text: { content: 'm30' } });
    expect(over).toMatchObject({ errcode: 0, invaliduser: '' }); // WeCom says nothing
    expect(t.sim.inboxOf(U.csAgent)).toHaveLength(30);
    expect(t.sim.inboxOf(U.csAgent2)).toHaveLength(1);
    expect(t.sim.stats.limitViolations).toEqual([expect.objectContaining({ kind: 'app_member_minute', userid: U.csAgent, limit: 30, msgid: over['msgid'] })]);
    expect(t.sim.stats.messages.at(-1)).toMatchObject({ delivered: [U.csAgent2], dropped: [U.csAgent] });
    t.advance(60_001); // sliding window: the first 30 left it
    expect((await t.send({ touser: U.csAgent, msgtype: 'text', text: { content: 'later' } }))['errcode']).toBe(0);
    expect(t.sim.inboxOf(U.csAgent)).toHaveLength(31);
    // 1000 per hour: 30 per minute for 33 more minutes reaches 1000 within the hour.
    for (let minute = 0; minute < 33; minute++) {
      t.advance(60_001);
      for (let i = 0; i < 30; i++) await t.send({ touser: U.csAgent, msgtype: 'text', text: { content: `h${minute}-${i}` } });
    }
    // 30 + 1 + 33 × 30 = 1021 attempts within 35 minutes: 1000 delivered, 21 dropped by the hourly limit.
    expect(t.sim.stats.limitViolations.filter((v) => v.kind === 'app_member_hour')).toHaveLength(21);
    expect(t.sim.inboxOf(U.csAgent)).toHaveLength(1000);
    const stats = await getJson(`${t.sim.url}/__sim/stats`);
    expect(stats['limitViolations'].length).toBe(t.sim.stats.limitViolations.length);
  }, 60_000);

  test('fail-next: errcode once, HTTP 502 with a non-JSON body, and a delay', async () => {
    const tok = await t.token();
    const url = `${t.sim.url}/cgi-bin/message/send?access_token=${tok}`;
    const body = { touser: U.csAgent, msgtype: 'text', agentid: 1000002, text: { content: 'x' } };
    expect((await postJson(`${t.sim.url}/__sim/fail-next`, { path: 'message/send', errcode: -1 }))['ok']).toBe(true);
    expect((await postJson(url, body))['errcode']).toBe(-1);
    await postJson(`${t.sim.url}/__sim/fail-next`, { path: '/cgi-bin/message/send', httpStatus: 502, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
      expect(res.status).toBe(502);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      await expect(res.clone().json()).rejects.toThrow();
      expect(await res.text()).toContain('502 Bad Gateway');
    }
    expect((await postJson(url, body))['errcode']).toBe(0);
    t.sim.injectFault('message/send', { delayMs: 400 });
    const start = Date.now();
    await expect(fetch(url, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(150) })).rejects.toThrow();
    expect(Date.now() - start).toBeLessThan(400);
    await new Promise((r) => setTimeout(r, 300)); // let the server side finish before close()
    expect((await postJson(`${t.sim.url}/__sim/fail-next`, { path: 'message/send' }))['ok']).toBe(false);
  });

  test('messaging latency applies to message/send but not to other APIs', async () => {
    const tok = await t.token();
    await postJson(`${t.sim.url}/__sim/latency`, { messagingLatencyMs: 250 });
    let start = Date.now();
    await t.send({ touser: U.csAgent, msgtype: 'text', text: { content: 'x' } });
    expect(Date.now() - start).toBeGreaterThanOrEqual(240);
    start = Date.now();
    await getJson(`${t.sim.url}/cgi-bin/user/get?access_token=${tok}&userid=lina`);
    expect(Date.now() - start).toBeLessThan(240);
    t.sim.setLatency({ messagingLatencyMs: 0 });
  });
});
