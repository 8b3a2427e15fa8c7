/**
 * 通知设置 over HTTP: the event catalogue, rules checked when saved (unknown event, placeholder, condition field,
 * recipient, robot), previews, robots registered only by a webhook URL on WECOM_API_BASE with the key sealed at rest,
 * and notifications:manage on every route. Against the real server + simulator, on every database of the matrix.
 */
import { DEMO_DEPARTMENTS as D, DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { Robot } from '../../server/src/modules/notifications/robot.entity';
import { testDatabases } from '../support/databases';
import { type Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}
interface RuleBody {
  id: number;
  name: string;
  eventType: string;
  template: string;
  condition: string | null;
  enabled: boolean;
}

const post = (body: unknown, method = 'POST'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.each(testDatabases())('notification rules and robots over HTTP ($label)', ({ kind }) => {
  let stack: Stack;
  let owner: Browser;
  let agent: Browser; // cs_agent: no notifications:manage

  beforeAll(async () => {
    stack = await startStack({ db: kind });
    owner = (await signIn(stack, U.owner)).browser;
    agent = (await signIn(stack, U.csAgent)).browser;
  });
  afterAll(() => stack?.close());

  const webhook = (key: string, base = stack.sim.url) => `${base}/cgi-bin/webhook/send?key=${key}`;
  const rule = (over: Record<string, unknown> = {}) => ({
    name: '新成员欢迎',
    eventType: 'member.joined',
    channel: 'app',
    format: 'text',
    recipients: { users: [U.owner] },
    template: '欢迎 {name}（{userid}）加入',
    ...over,
  });

  it('lists the event catalogue with each field and the guide’s default templates', async () => {
    const res = await owner.json<{
      events: Array<{ type: string; label: string; fields: Array<{ name: string; label: string; type: string }> }>;
      templates: Array<{ text: string }>;
    }>('/api/notifications/events');
    expect(res.status).toBe(200);
    const joined = res.body.events.find((e) => e.type === 'member.joined');
    expect(joined).toMatchObject({ label: '成员加入' });
    expect(joined!.fields.map((f) => f.name).sort()).toEqual(['name', 'userid']);
    expect(res.body.templates.map((t) => t.text)).toContain(
      '订单号:{order_id} | 客户:{customer} | 商品:{items} | 数量:{qty} | 总价:{amount} | 预计发货:{ship_time}',
    );
  });

  it('creates, lists, updates and deletes a rule, auditing each change', async () => {
    const created = await owner.json<RuleBody>('/api/notifications/rules', post(rule({ condition: 'name contains "李"' })));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '新成员欢迎', eventType: 'member.joined', condition: 'name contains "李"', enabled: true });
    const listed = await owner.json<{ rules: RuleBody[] }>('/api/notifications/rules');
    expect(listed.body.rules.map((r) => r.id)).toContain(created.body.id);
    const updated = await owner.json<RuleBody>(`/api/notifications/rules/${created.body.id}`, post(rule({ enabled: false, template: '{name} 到岗' }), 'PUT'));
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ enabled: false, template: '{name} 到岗', condition: null });
    const one = await owner.json<RuleBody>(`/api/notifications/rules/${created.body.id}`);
    expect([one.status, one.body]).toEqual([200, updated.body]);
    expect((await owner.request(`/api/notifications/rules/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await owner.request(`/api/notifications/rules/${created.body.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await owner.json<ErrorBody>(`/api/notifications/rules/${created.body.id}`)).status).toBe(404);
    const audit = await owner.json<{ entries: Array<{ action: string; targetId: string }> }>(`/api/audit?targetType=notification_rule&limit=10`);
    const actions = audit.body.entries.filter((e) => e.targetId === String(created.body.id)).map((e) => e.action);
    expect(actions.sort()).toEqual(['notifications.rule_created', 'notifications.rule_deleted', 'notifications.rule_updated']);
  });

  it.each([
    ['an unknown event', { eventType: 'order.teleported' }, 'unknown_event', /order\.teleported/],
    ['a placeholder the event lacks', { template: '订单号:{order_id}' }, 'unknown_placeholder', /order_id/],
    ['a broken template', { template: '欢迎 {name' }, 'invalid_template', /模板/],
    ['a condition on a field the event lacks', { condition: 'amount >= 500' }, 'unknown_field', /amount/],
    ['a condition that does not parse', { condition: 'name ==' }, 'invalid_condition', /./],
    ['a member who does not exist', { recipients: { users: ['nobody_here'] } }, 'unknown_recipient', /nobody_here/],
    ['a department that does not exist', { recipients: { departments: [987654] } }, 'unknown_recipient', /987654/],
    ['no recipient at all', { recipients: {} }, 'validation_failed', /接收人/],
    ['an unknown channel', { channel: 'fax' }, 'validation_failed', /./],
    ['a robot that is not registered', { channel: 'robot', robotId: 99999 }, 'unknown_robot', /机器人/],
  ])('refuses %s with 422 and a clear code', async (_, over, code, message) => {
    const res = await owner.json<ErrorBody>('/api/notifications/rules', post(rule(over)));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
  });

  it('accepts a rule for a department and the event’s own people', async () => {
    const res = await owner.json<RuleBody>('/api/notifications/rules', post(rule({ recipients: { departments: [D.cs] } })));
    expect(res.status).toBe(201);
    await owner.request(`/api/notifications/rules/${res.body.id}`, { method: 'DELETE' });
  });

  it('previews a template with the catalogue’s examples and the given sample', async () => {
    const res = await owner.json<{ text: string }>(
      '/api/notifications/preview',
      post({ event: 'member.joined', template: '欢迎 {name}（{userid}）', sample: { name: '王五' } }),
    );
    expect(res.status).toBe(200);
    expect(res.body.text).toMatch(/^欢迎 王五（.+）$/);
    const bad = await owner.json<ErrorBody>('/api/notifications/preview', post({ event: 'member.joined', template: '{nope}' }));
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'unknown_placeholder' });
    expect(bad.body.error.message).toContain('{nope}');
  });

  it('registers a robot only from a webhook URL on the WeCom API host, sealing its key', async () => {
    const key = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
    const created = await owner.json<{ id: number; name: string; keyHint: string }>(
      '/api/notifications/robots',
      post({ name: '虾皮店-客服-新单', webhookUrl: webhook(key) }),
    );
    expect(created.status).toBe(201);
    expect(created.body.keyHint).toBe('693a…5aaa');
    expect(JSON.stringify(created.body)).not.toContain(key);
    const listed = await owner.json<{ robots: unknown[] }>('/api/notifications/robots');
    expect(JSON.stringify(listed.body)).not.toContain(key);
    // At rest the key is sealed, not stored as is.
    const row = await stack.app.container.ds.getRepository(Robot).findOneByOrFail({ id: created.body.id });
    expect(row.keySealed).not.toContain(key);
    expect(row.keySealed).toMatch(/^v1:/);

    for (const url of [
      webhook(key, 'https://evil.example.com'),
      `${stack.sim.url}/cgi-bin/webhook/other?key=${key}`,
      `${webhook(key)}&url=https://evil.example.com`,
      `${stack.sim.url}/cgi-bin/webhook/send`,
      'not a url',
    ]) {
      const res = await owner.json<ErrorBody>('/api/notifications/robots', post({ name: 'x', webhookUrl: url }));
      expect([url, res.status, res.body.error?.code]).toEqual([url, 422, 'invalid_webhook_url']);
    }

    // A robot a rule uses cannot be removed; once the rule is gone it can.
    const used = await owner.json<RuleBody>('/api/notifications/rules', post(rule({ channel: 'robot', robotId: created.body.id, recipients: undefined })));
    expect(used.status).toBe(201);
    const refused = await owner.json<ErrorBody>(`/api/notifications/robots/${created.body.id}`, { method: 'DELETE' });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'robot_in_use']);
    await owner.request(`/api/notifications/rules/${used.body.id}`, { method: 'DELETE' });
    expect((await owner.request(`/api/notifications/robots/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('answers 403 to a member without notifications:manage on every route', async () => {
    for (const [path, init] of [
      ['/api/notifications/events', undefined],
      ['/api/notifications/rules', undefined],
      ['/api/notifications/rules', post(rule())],
      ['/api/notifications/rules/1', undefined],
      ['/api/notifications/robots', undefined],
      ['/api/notifications/deliveries', undefined],
      ['/api/notifications/preview', post({ event: 'member.joined', template: 'x' })],
    ] as Array<[string, RequestInit | undefined]>) {
      const res = await agent.json<ErrorBody>(path, init);
      expect([path, res.status]).toEqual([path, 403]);
    }
  });
});
