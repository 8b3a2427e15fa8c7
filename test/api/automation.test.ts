/**
 * Automation rules end to end, on every database of the matrix: the catalogue, checks when a rule is saved, the issue's
 * 'an order over 500 SGD goes to 王芳 with the 大额订单 checklist' (dry-run first: it changes nothing), the loop and
 * depth guards on a chain of rules, schedules, and actions taking effect once with two instances on one database.
 */
import type {
  AutomationCatalogue,
  AutomationDryRun,
  AutomationRuleView,
  AutomationRunView,
  CaseDetail,
  OrderDetail,
  ProjectDetail,
  SopRunListResponse,
  SopTemplateDetail,
} from '@shopcrew/shared';
import { seedDemoAutomation } from '../../scripts/demo-seed';
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { createContainer } from '../../server/src/container';
import { createLogger } from '../../server/src/lib/logger';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { AutomationRun } from '../../server/src/modules/automation/automation.entity';
import { OutboxEvent } from '../../server/src/platform/events';
import { testDatabases } from '../support/databases';
import { type Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

const send = (method: string, body: unknown = {}): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const post = (body: unknown = {}) => send('POST', body);
interface ErrorBody {
  error: { code: string; message: string };
}
const item = (price: number) => ({ model_discounted_price: price, model_quantity_purchased: 1 });

describe.each(testDatabases())('automation rules ($label)', ({ kind }) => {
  let stack: Stack;
  let owner: Browser;
  let ops: Browser;
  let agent: Browser;

  beforeAll(async () => {
    stack = await startStack({ db: kind, shopee: true });
    const b = await Promise.all([U.owner, U.opsManager, U.csAgent].map(async (u) => (await signIn(stack, u)).browser));
    [owner, ops, agent] = b as [Browser, Browser, Browser];
  }, 60_000);
  afterAll(() => stack?.close());

  const ds = () => stack.app.container.ds;
  const newOrder = async (price: number) => {
    const order = stack.shopee!.createOrder(Number(stack.shopId), { order_status: 'READY_TO_SHIP', items: [item(price)] });
    await stack.shopee!.settled();
    await waitFor(async () => ((await owner.json<OrderDetail>(`/api/orders/${order.order_sn}`)).status === 200 ? true : undefined), `order ${order.order_sn}`);
    return order.order_sn;
  };
  const runsOf = async (ruleId: number) => (await ops.json<{ items: AutomationRunView[] }>(`/api/automations/${ruleId}/runs`)).body.items;
  const notified = (text: string) =>
    ds()
      .getRepository(OutboxEvent)
      .createQueryBuilder('e')
      .where("e.type = 'automation.notified' AND e.payload LIKE :text", { text: `%${text}%` })
      .getCount();

  it('offers the events and every module’s actions; only automation:manage may use it', async () => {
    const cat = await ops.json<AutomationCatalogue>('/api/automations/catalogue');
    expect(cat.status).toBe(200);
    expect(cat.body.actions.map((a) => a.key)).toEqual(
      expect.arrayContaining(['message.send', 'order.assign', 'order.tag', 'case.assign', 'case.transition', 'case.tag', 'checklist.start', 'task.create']),
    );
    const created = cat.body.events.find((e) => e.type === 'order.created')!;
    expect(created.fields).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'total', type: 'number' })]));
    expect(cat.body.events.some((e) => e.type.startsWith('automation.'))).toBe(false);
    expect((await agent.json<ErrorBody>('/api/automations')).status).toBe(403);
    expect((await agent.json<ErrorBody>('/api/automations', post({}))).status).toBe(403);
  });

  it('refuses a rule that could not work, saying why', async () => {
    const rule = (over: Record<string, unknown>) => ({
      name: '坏规则',
      trigger: { kind: 'event', event: 'order.created' },
      actions: [{ key: 'order.tag', params: { tag: '大额' } }],
      ...over,
    });
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ trigger: { kind: 'event', event: 'order.nothing' } }, 422, 'unknown_event'],
      [{ condition: 'price > 5' }, 422, 'unknown_field'],
      [{ condition: 'total >= "500"' }, 422, 'invalid_condition'],
      [{ actions: [{ key: 'order.explode', params: {} }] }, 422, 'unknown_action'],
      [{ trigger: { kind: 'event', event: 'member.joined' } }, 422, 'action_not_applicable'],
      [{ trigger: { kind: 'schedule', cron: '61 * * * *' } }, 422, 'invalid_cron'],
      [{ actions: [{ key: 'order.assign', params: { member: 'nobody' } }] }, 422, 'validation_failed'],
      [{ actions: [{ key: 'order.tag', params: { tag: '' } }] }, 422, 'validation_failed'],
      [{ actions: [] }, 422, 'validation_failed'],
    ];
    for (const [over, status, code] of cases) {
      const res = await ops.json<ErrorBody>('/api/automations', post(rule(over)));
      expect([JSON.stringify(over), res.status, res.body.error?.code]).toEqual([JSON.stringify(over), status, code]);
    }
    expect((await ops.json<{ items: AutomationRuleView[] }>('/api/automations')).body.items).toHaveLength(0);
  });

  it('an order over 500 SGD goes to 王芳 with the 大额订单 checklist; the dry run before enabling changes nothing', async () => {
    const template = await ops.json<SopTemplateDetail>(
      '/api/sop/templates',
      post({
        name: '大额订单',
        category: 'order',
        steps: [{ title: '核对买家与地址', assignee: { kind: 'subject_assignee' }, evidence: 'none', evidenceRequired: false, dueOffsetMinutes: null }],
      }),
    );
    expect(template.status).toBe(201);
    const big = await newOrder(620);
    const small = await newOrder(12);
    const made = await ops.json<AutomationRuleView>(
      '/api/automations',
      post({
        name: '大额订单交给王芳',
        trigger: { kind: 'event', event: 'order.created' },
        shopId: stack.shopId,
        condition: 'total > 500 and currency == "SGD"',
        actions: [
          { key: 'order.assign', params: { member: U.csLead } },
          { key: 'checklist.start', params: { templateId: template.body.id } },
          { key: 'order.tag', params: { tag: '大额' } },
          { key: 'message.send', params: { members: [U.owner], text: '大额订单 {order_id}（{amount}）已交给王芳' } },
        ],
      }),
    );
    expect([made.status, made.body.enabled]).toEqual([201, false]);

    // Disabled: the orders that arrived meanwhile were left alone. The dry run replays them and changes nothing.
    const outboxBefore = await ds().getRepository(OutboxEvent).count();
    const dry = await ops.json<AutomationDryRun>(`/api/automations/${made.body.id}/dry-run`, post());
    expect(dry.status).toBe(200);
    expect(dry.body.checked).toBeGreaterThanOrEqual(2);
    expect(dry.body.matched).toBe(1);
    expect(dry.body.items[0]!.steps.map((s) => s.text)).toEqual([
      `把订单 ${big} 分配给 王芳`,
      '发起清单「大额订单」（订单 ' + big + '）',
      `给订单 ${big} 打上「大额」`,
      expect.stringMatching(new RegExp(`^通知 陈静：大额订单 ${big}（SGD 6\\d\\d(\\.\\d+)?）已交给王芳$`)),
    ]);
    expect(dry.body.items[0]!.matched).toContain('金额=');
    const bigNow = (await owner.json<OrderDetail>(`/api/orders/${big}`)).body;
    expect([bigNow.assignee, bigNow.tags]).toEqual([null, []]);
    expect(await ds().getRepository(OutboxEvent).count()).toBe(outboxBefore);
    expect(await ds().getRepository(AutomationRun).count()).toBe(0);
    // A draft can be dry-run before it is saved at all.
    const draft = await ops.json<AutomationDryRun>(
      '/api/automations/dry-run',
      post({ name: '草稿', trigger: { kind: 'event', event: 'order.created' }, actions: [{ key: 'order.tag', params: { tag: '草稿' } }] }),
    );
    expect(draft.body.matched).toBeGreaterThanOrEqual(2);

    expect((await ops.json<AutomationRuleView>(`/api/automations/${made.body.id}/enable`, post())).body.enabled).toBe(true);
    const next = await newOrder(800);
    const tiny = await newOrder(15);
    const order = await waitFor(async () => {
      const o = (await owner.json<OrderDetail>(`/api/orders/${next}`)).body;
      return o.assignee && o.tags.length ? o : undefined;
    }, 'the rule acting on the big order');
    expect([order.assignee?.userid, order.tags]).toEqual([U.csLead, ['大额']]);
    expect(order.timeline.some((t) => t.text.includes('自动化「大额订单交给王芳」'))).toBe(true);
    const runs = await waitFor(async () => {
      const r = (await owner.json<SopRunListResponse>(`/api/sop/runs?view=team&subject=order:${next}`)).body.items;
      return r.length ? r : undefined;
    }, 'the 大额订单 checklist');
    expect(runs.map((r) => r.templateName)).toEqual(['大额订单']);
    await waitFor(async () => ((await notified(next)) === 1 ? true : undefined), 'the message to the owner');
    const log = await runsOf(made.body.id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ status: 'done', depth: 1, eventType: 'order.created' });
    expect(log[0]!.steps.every((s) => s.ok)).toBe(true);
    // The small orders never matched; the earlier big one (before enabling) was not touched after the fact.
    expect((await owner.json<OrderDetail>(`/api/orders/${tiny}`)).body.tags).toEqual([]);
    expect((await owner.json<OrderDetail>(`/api/orders/${small}`)).body.assignee).toBeNull();
    expect((await owner.json<OrderDetail>(`/api/orders/${big}`)).body.assignee).toBeNull();
    expect((await ops.json<AutomationRuleView>(`/api/automations/${made.body.id}/disable`, post())).body.enabled).toBe(false);
    await ops.request(`/api/automations/${made.body.id}`, { method: 'DELETE' });
  });

  it('a SKU below target three days running: 运营 are told and a task is created to change its keywords or price', async () => {
    const project = await ops.json<ProjectDetail>('/api/projects', post({ name: '日常优化', start: '2026-01-01', end: '2027-12-31' }));
    expect(project.status).toBe(201);
    const made = await ops.json<AutomationRuleView>(
      '/api/automations',
      post({
        name: 'SKU 低于目标',
        enabled: true,
        trigger: { kind: 'event', event: 'metric.alert' },
        condition: 'sku contains "MUG"',
        actions: [
          { key: 'message.send', params: { roles: ['ops_manager'], members: [U.opsStaff], text: '{sku} 销量连续低于目标：{value}' } },
          { key: 'task.create', params: { projectId: project.body.id, title: '调整 {sku} 的关键词或价格', owner: U.opsStaff, dueInDays: 2, priority: 'P1' } },
        ],
      }),
    );
    expect(made.status).toBe(201);
    // As the metrics module tells it when its line ('SKU 连续 3 天低于目标') is breached.
    const alert = (sku: string) =>
      stack.app.container.uow.run({ actor: 'system' }, (tx) =>
        tx.publish('metric.alert', {
          alert_id: '9',
          name: 'SKU 低于目标',
          metric: '销量',
          shop_id: stack.shopId,
          sku,
          value: '3 件/天（目标 10）',
          line: '< 目标（连续 3 天）',
          day: '2026-11-10',
        }),
      );
    await alert('MUG-350-BLUE');
    await alert('PEN-01'); // no match
    await waitFor(async () => ((await runsOf(made.body.id)).length ? true : undefined), 'the run');
    const detail = await waitFor(async () => {
      const d = (await ops.json<ProjectDetail>(`/api/projects/${project.body.id}`)).body;
      return d.tasks.length ? d : undefined;
    }, 'the task');
    expect(detail.tasks.map((t) => [t.title, t.owner?.userid, t.priority])).toEqual([['调整 MUG-350-BLUE 的关键词或价格', U.opsStaff, 'P1']]);
    expect(await notified('MUG-350-BLUE 销量连续低于目标')).toBe(2); // 周强 (运营总监) and 杨帆
    expect(await notified('PEN-01')).toBe(0);
    await ops.request(`/api/automations/${made.body.id}`, { method: 'DELETE' });
  });

  it('a refused action is logged and undone alone; the other actions still happen', async () => {
    const rule = await ops.json<AutomationRuleView>(
      '/api/automations',
      post({
        name: '给李娜（无权认领的成员会被拒）',
        enabled: true,
        trigger: { kind: 'event', event: 'order.created' },
        condition: 'total > 900',
        actions: [
          { key: 'order.assign', params: { member: U.finance } },
          { key: 'order.tag', params: { tag: '超大额' } },
        ],
      }),
    );
    const sn = await newOrder(950);
    await waitFor(async () => ((await runsOf(rule.body.id)).length ? true : undefined), 'the run');
    const [run] = await runsOf(rule.body.id);
    expect(run!.status).toBe('partial');
    expect(run!.steps.map((s) => s.ok)).toEqual([false, true]);
    const o = (await owner.json<OrderDetail>(`/api/orders/${sn}`)).body;
    expect([o.assignee, o.tags]).toEqual([null, ['超大额']]);
    await ops.request(`/api/automations/${rule.body.id}`, { method: 'DELETE' });
  });

  it('a chain of rules stops: a rule never re-triggers itself, and nothing runs beyond depth 3', async () => {
    const made = await agent.json<CaseDetail>('/api/cases', post({ shopId: stack.shopId, type: 'complaint', title: '连环规则' }));
    expect([made.status, (made.body as unknown as ErrorBody).error]).toEqual([201, undefined]);
    const rule = (name: string, event: string, condition: string, actions: unknown[]) =>
      ops.json<AutomationRuleView>('/api/automations', post({ name, enabled: true, trigger: { kind: 'event', event }, condition, actions }));
    const when = (name: string, to: string, then: string, extra: unknown[] = []) =>
      rule(name, 'case.state_changed', `to == "${to}" and case_id == "${made.body.id}"`, [{ key: 'case.transition', params: { to: then } }, ...extra]);
    const a = (await when('A 待平台→处理中', '待平台', 'in_progress')).body;
    const b = (await when('B 处理中→待买家', '处理中', 'waiting_buyer')).body;
    const c = (await when('C 待买家→待平台', '待买家', 'waiting_platform', [{ key: 'message.send', params: { members: [U.owner], text: '连环 {case_id}' } }]))
      .body;
    const d = (
      await rule('D 听 C 的通知', 'automation.notified', `rule_id == "${c.id}"`, [{ key: 'message.send', params: { members: [U.owner], text: 'D 不该发出' } }])
    ).body;
    await agent.json(`/api/cases/${made.body.id}/claim`, post());
    const moved = await agent.json<ErrorBody>(`/api/cases/${made.body.id}/transition`, post({ to: 'waiting_platform' }));
    expect([moved.status, moved.body.error]).toEqual([200, undefined]);
    // 待平台 (by hand) → A (depth 1) 处理中 → B (2) 待买家 → C (3) 待平台 + a message → A again: in its own chain;
    // D on C's message: depth 4.
    await waitFor(async () => ((await runsOf(a.id)).length === 2 && (await runsOf(d.id)).length === 1 ? true : undefined), 'the chain to stop');
    expect((await runsOf(a.id)).map((r) => [r.depth, r.status])).toEqual([
      [4, 'skipped_loop'],
      [1, 'done'],
    ]);
    expect((await runsOf(b.id)).map((r) => [r.depth, r.status])).toEqual([[2, 'done']]);
    expect((await runsOf(c.id)).map((r) => [r.depth, r.status])).toEqual([[3, 'done']]);
    expect((await runsOf(d.id)).map((r) => [r.depth, r.status])).toEqual([[4, 'skipped_depth']]);
    expect(await notified('D 不该发出')).toBe(0);
    expect((await agent.json<CaseDetail>(`/api/cases/${made.body.id}`)).body.state).toBe('waiting_platform');
    await new Promise((r) => setTimeout(r, 500));
    expect((await runsOf(a.id)).length).toBe(2); // nothing more: the chain ended
    for (const r of [a, b, c, d]) await ops.request(`/api/automations/${r.id}`, { method: 'DELETE' });
  });

  it('a schedule runs each occurrence once; a rule runs once per event with two instances on one database', async () => {
    const engine = stack.app.container.scheduledRules;
    const scheduled = await ops.json<AutomationRuleView>(
      '/api/automations',
      post({
        name: '每分钟提醒',
        enabled: true,
        trigger: { kind: 'schedule', cron: '* * * * *' },
        actions: [{ key: 'message.send', params: { roles: ['owner'], text: '定时提醒' } }],
      }),
    );
    expect(scheduled.status).toBe(201);
    // Enabled now: this minute's occurrence is behind it; as if it had been enabled two minutes ago, the latest one is due.
    const rule = await ds().getRepository('automation_rules').findOneByOrFail({ id: scheduled.body.id });
    await ds()
      .getRepository('automation_rules')
      .update({ id: scheduled.body.id }, { lastFiredAt: Number((rule as { lastFiredAt: number }).lastFiredAt) - 120_000 });
    // (Two instances race through a conditional update of last_fired_at; within one process the ticks take turns.)
    expect(await engine.tick()).toBe(1);
    expect(await engine.tick()).toBe(0);
    expect(await notified('定时提醒')).toBe(1);
    await ops.request(`/api/automations/${scheduled.body.id}`, { method: 'DELETE' });

    const second = await createContainer(stack.app.container.config, { logger: createLogger('silent') });
    second.startBackground();
    try {
      const made = await ops.json<AutomationRuleView>(
        '/api/automations',
        post({
          name: '两台实例',
          enabled: true,
          trigger: { kind: 'event', event: 'order.created' },
          condition: 'total >= 300 and total < 400',
          actions: [
            { key: 'order.tag', params: { tag: '中额' } },
            { key: 'message.send', params: { members: [U.owner], text: '两台 {order_id}' } },
          ],
        }),
      );
      const orders = [];
      for (let i = 0; i < 12; i++)
        orders.push(stack.shopee!.createOrder(Number(stack.shopId), { order_status: 'READY_TO_SHIP', items: [item(300 + i)] }).order_sn);
      await stack.shopee!.settled();
      await waitFor(async () => ((await runsOf(made.body.id)).length === orders.length ? true : undefined), 'a run per order', 30_000);
      for (const sn of orders) {
        expect(await notified(`两台 ${sn}`)).toBe(1);
        expect(await ds().getRepository(AuditEntry).countBy({ action: 'orders.tagged', targetId: sn })).toBe(1);
        expect((await owner.json<OrderDetail>(`/api/orders/${sn}`)).body.tags).toEqual(['中额']);
      }
      await ops.request(`/api/automations/${made.body.id}`, { method: 'DELETE' });
    } finally {
      await second.close();
    }
  });

  it('the demo’s rule is seeded once and acts on the demo shop’s bigger orders', async () => {
    await seedDemoAutomation({ c: stack.app.container, shopId: stack.shopId! });
    await seedDemoAutomation({ c: stack.app.container, shopId: stack.shopId! }); // a restart adds nothing
    const rules = (await ops.json<{ items: AutomationRuleView[] }>('/api/automations')).body.items;
    expect(rules.map((r) => [r.name, r.enabled, r.condition])).toEqual([['大额订单交给王芳', true, 'total >= 50 and currency == "SGD"']]);
    const sn = await newOrder(75);
    const o = await waitFor(async () => {
      const d = (await owner.json<OrderDetail>(`/api/orders/${sn}`)).body;
      return d.tags.length ? d : undefined;
    }, 'the demo rule acting');
    expect([o.assignee?.userid, o.tags]).toEqual([U.csLead, ['大额']]);
  });
});
