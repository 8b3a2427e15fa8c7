/**
 * 应用群聊 over HTTP: a chat is created in WeCom (appchat/create on the simulator) and then recorded, with its
 * members checked against the address book first and WeCom's refusals answered as clear 422/409/502s; an appchat rule
 * may name only a registered chat, and an event reaches that chat; a chat a rule sends to cannot be removed; every
 * route needs notifications:manage. Against the real server + simulator, on every database of the matrix.
 */
import type { AppChatView, NotificationRuleView } from '@shopcrew/shared';
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { NotificationChat } from '../../server/src/modules/notifications/chat.entity';
import { testDatabases } from '../support/databases';
import { type Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const post = (body: unknown, method = 'POST'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.each(testDatabases())('app group chats over HTTP ($label)', ({ kind }) => {
  let stack: Stack;
  let owner: Browser;
  let agent: Browser; // cs_agent: no notifications:manage

  beforeAll(async () => {
    stack = await startStack({ db: kind });
    owner = (await signIn(stack, U.owner)).browser;
    agent = (await signIn(stack, U.csAgent)).browser;
  });
  afterAll(() => stack?.close());

  const chat = (over: Record<string, unknown> = {}) => ({
    name: '星河电商-客服-售后',
    owner: U.csLead,
    members: [U.csLead, U.csAgent, U.csAgent2],
    ...over,
  });
  const create = (over: Record<string, unknown> = {}) => owner.json<AppChatView & ErrorBody>('/api/notifications/chats', post(chat(over)));
  const rule = (chatId: string, over: Record<string, unknown> = {}) => ({
    name: '新成员进群通知',
    eventType: 'member.joined',
    channel: 'appchat',
    format: 'text',
    chatId,
    template: '欢迎 {name}（{userid}）加入',
    ...over,
  });
  const audits = async (targetId: number) =>
    (await owner.json<{ entries: Array<{ action: string; targetId: string }> }>('/api/audit?targetType=notification_chat&limit=50')).body.entries
      .filter((e) => e.targetId === String(targetId))
      .map((e) => e.action);

  it('creates the chat in WeCom with its owner and members, lists it and audits it', async () => {
    const res = await create({ chatid: 'csAftersale01', members: [U.csLead, U.csAgent, U.csAgent2, U.csAgent] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      chatid: 'csAftersale01',
      name: '星河电商-客服-售后',
      owner: U.csLead,
      ownerName: '王芳',
      members: [U.csLead, U.csAgent, U.csAgent2], // the repeated member once
      createdBy: U.owner,
    });
    expect(stack.sim.appchat('csAftersale01')).toMatchObject({ name: '星河电商-客服-售后', owner: U.csLead });
    expect([...stack.sim.appchat('csAftersale01')!.userlist].sort()).toEqual([U.csLead, U.csAgent, U.csAgent2].sort());

    const listed = await owner.json<{ chats: AppChatView[] }>('/api/notifications/chats');
    expect(listed.status).toBe(200);
    expect(listed.body.chats.find((c) => c.id === res.body.id)).toEqual(res.body);
    expect(await audits(res.body.id)).toEqual(['notifications.chat_created']);
  });

  it('lets WeCom pick the chatid when none is given', async () => {
    const res = await create({ name: '星河电商-仓储-发货', owner: U.warehouseLead, members: [U.warehouseLead, U.warehouse] });
    expect(res.status).toBe(201);
    expect(res.body.chatid).toMatch(/^[0-9a-zA-Z]{1,32}$/);
    expect(stack.sim.appchat(res.body.chatid)?.owner).toBe(U.warehouseLead);
  });

  it.each([
    ['one member', { owner: U.csLead, members: [U.csLead] }, 'validation_failed', /2-2000/, 'members'],
    ['a member twice and nobody else', { owner: U.csLead, members: [U.csLead, U.csLead] }, 'validation_failed', /2-2000/, 'members'],
    ['an owner who is not a member', { owner: U.owner }, 'validation_failed', /群主必须是群成员/, 'owner'],
    ['no name', { name: '  ' }, 'validation_failed', /群名称/, 'name'],
    ['a name over 50 characters', { name: '店'.repeat(51) }, 'validation_failed', /50/, 'name'],
    ['a chatid with a dash', { chatid: 'cs-aftersale' }, 'validation_failed', /群聊 ID/, 'chatid'],
    ['a chatid over 32 characters', { chatid: 'a'.repeat(33) }, 'validation_failed', /群聊 ID/, 'chatid'],
  ])('refuses %s with 422 before asking WeCom', async (_, over, code, message, path) => {
    const res = await create({ chatid: 'neverCreated1', ...over });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
    expect((res.body.error.details as Array<{ path: string[] }>)[0]?.path).toEqual([path]);
    expect(stack.sim.appchat('neverCreated1')).toBeUndefined();
  });

  it('refuses a member who is not in the address book, naming them', async () => {
    const res = await create({ chatid: 'neverCreated2', members: [U.csLead, 'nobody_here'] });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'unknown_recipient', details: { member: 'nobody_here' } });
    expect(res.body.error.message).toContain('nobody_here');
    expect(stack.sim.appchat('neverCreated2')).toBeUndefined();
  });

  it('answers 409 chat_exists to a chatid already taken, in ShopCrew or only in WeCom', async () => {
    expect((await create({ chatid: 'dupChat01' })).status).toBe(201);
    const again = await create({ chatid: 'dupChat01', name: '另一个群' });
    expect([again.status, again.body.error.code]).toEqual([409, 'chat_exists']);
    expect(again.body.error.message).toContain('dupChat01');
    expect(stack.sim.appchat('dupChat01')?.name).toBe('星河电商-客服-售后');

    // Taken in WeCom (86215) but not in ShopCrew's list: the same answer, and nothing is recorded.
    const rows = stack.app.container.ds.getRepository(NotificationChat);
    const before = await rows.count();
    stack.sim.injectFault('/cgi-bin/appchat/create', { errcode: 86215 });
    const taken = await create({ chatid: 'takenInWecom' });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'chat_exists']);
    expect(await rows.count()).toBe(before);
  });

  it('maps WeCom refusals: unknown member 422, visible range 422 with the hint, anything else 502; nothing is recorded', async () => {
    const rows = stack.app.container.ds.getRepository(NotificationChat);
    const before = await rows.count();

    stack.sim.injectFault('/cgi-bin/appchat/create', { errcode: 86007 });
    const member = await create({ chatid: 'refused01' });
    expect([member.status, member.body.error.code]).toEqual([422, 'unknown_recipient']);

    stack.sim.injectFault('/cgi-bin/appchat/create', { errcode: 60011 });
    const range = await create({ chatid: 'refused02' });
    expect([range.status, range.body.error.code]).toEqual([422, 'wecom_config']);
    expect(range.body.error.message).toContain('可见范围');
    expect(range.body.error.message).toContain('根部门');
    expect(range.body.error.details).toMatchObject({ errcode: 60011, hint: expect.stringContaining('可见范围') });

    stack.sim.injectFault('/cgi-bin/appchat/create', { errcode: 48002 });
    const api = await create({ chatid: 'refused03' });
    expect([api.status, api.body.error.code]).toEqual([422, 'wecom_config']);

    stack.sim.injectFault('/cgi-bin/appchat/create', { errcode: 40058 });
    const other = await create({ chatid: 'refused04' });
    expect([other.status, other.body.error.code]).toEqual([502, 'wecom_unavailable']);
    expect(other.body.error.message).toContain('40058');

    stack.sim.injectFault('/cgi-bin/appchat/create', { httpStatus: 503 });
    const down = await create({ chatid: 'refused05' });
    expect([down.status, down.body.error.code]).toEqual([502, 'wecom_unavailable']);

    expect(await rows.count()).toBe(before);
  });

  it('routes an event through an appchat rule into the chat', async () => {
    const created = await create({ chatid: 'joinNews01', name: '星河电商-客服-新人' });
    expect(created.status).toBe(201);
    const saved = await owner.json<NotificationRuleView>('/api/notifications/rules', post(rule('joinNews01')));
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ channel: 'appchat', chatId: 'joinNews01' });

    await stack.app.container.uow.run({ actor: 'wecom' }, (tx) => tx.publish('member.joined', { userid: 'x', name: 'y' }));
    const messages = await waitFor(() => {
      const got = stack.sim.appchatMessages('joinNews01');
      return got.length ? got : null;
    }, 'the message in the app chat');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ chatid: 'joinNews01', msgtype: 'text' });
    expect(JSON.stringify(messages[0]!.content)).toContain('欢迎 y（x）加入');

    // The chat is in use: it stays until the rule is gone.
    const refused = await owner.json<ErrorBody>(`/api/notifications/chats/${created.body.id}`, { method: 'DELETE' });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'chat_in_use']);
    expect(refused.body.error.message).toContain('1 条通知规则');
    expect((await owner.request(`/api/notifications/rules/${saved.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await owner.request(`/api/notifications/chats/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await owner.request(`/api/notifications/chats/${created.body.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await owner.json<{ chats: AppChatView[] }>('/api/notifications/chats')).body.chats.map((c) => c.chatid)).not.toContain('joinNews01');
    // Only ShopCrew's list: WeCom cannot dissolve a chat.
    expect(stack.sim.appchat('joinNews01')).toBeDefined();
    expect(await audits(created.body.id)).toEqual(expect.arrayContaining(['notifications.chat_created', 'notifications.chat_removed']));
  });

  it('refuses an appchat rule to a chat that is not registered (422 unknown_chat), on create and update', async () => {
    const res = await owner.json<ErrorBody>('/api/notifications/rules', post(rule('notRegistered1')));
    expect([res.status, res.body.error.code]).toEqual([422, 'unknown_chat']);
    expect(res.body.error.message).toContain('notRegistered1');

    // Differing only in case is another chat.
    expect((await create({ chatid: 'CaseChat1' })).status).toBe(201);
    const lower = await owner.json<ErrorBody>('/api/notifications/rules', post(rule('casechat1')));
    expect([lower.status, lower.body.error.code]).toEqual([422, 'unknown_chat']);

    const app = await owner.json<NotificationRuleView>(
      '/api/notifications/rules',
      post({ ...rule('x'), channel: 'app', chatId: null, recipients: { users: [U.owner] } }),
    );
    expect(app.status).toBe(201);
    const updated = await owner.json<ErrorBody>(`/api/notifications/rules/${app.body.id}`, post(rule('notRegistered1'), 'PUT'));
    expect([updated.status, updated.body.error.code]).toEqual([422, 'unknown_chat']);
    await owner.request(`/api/notifications/rules/${app.body.id}`, { method: 'DELETE' });
  });

  it('answers 403 to a member without notifications:manage', async () => {
    const existing = (await owner.json<{ chats: AppChatView[] }>('/api/notifications/chats')).body.chats[0]!;
    for (const [path, init] of [
      ['/api/notifications/chats', undefined],
      ['/api/notifications/chats', post(chat({ chatid: 'agentChat01' }))],
      [`/api/notifications/chats/${existing.id}`, { method: 'DELETE' }],
    ] as Array<[string, RequestInit | undefined]>) {
      const res = await agent.json<ErrorBody>(path, init);
      expect([path, res.status]).toEqual([path, 403]);
    }
    expect(stack.sim.appchat('agentChat01')).toBeUndefined();
    expect((await owner.json<{ chats: AppChatView[] }>('/api/notifications/chats')).body.chats.map((c) => c.id)).toContain(existing.id);
  });
});
