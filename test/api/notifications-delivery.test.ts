/**
 * Notifications end to end: a domain event → the rule → deliveries → the WeCom simulator, as members and robot
 * groups see them. Retries through 502, -1 and 45009; a config error is dead at once and can be retried from the
 * admin API; a test send goes the same way as a real event; a burst for one robot is merged into summaries within
 * WeCom's 20 a minute. On every database of the matrix.
 */
import type { BatchResponse, DeliveryView, NotificationRuleView, RuleTestResponse } from '@shopcrew/shared';
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { Delivery, pendingDelivery } from '../../server/src/modules/notifications/delivery.entity';
import { testDatabases } from '../support/databases';
import { type Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

const post = (body: unknown, method = 'POST'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.each(testDatabases())('notification deliveries ($label)', ({ kind }) => {
  let stack: Stack;
  let owner: Browser;
  const rules: number[] = [];

  beforeAll(async () => {
    stack = await startStack({ db: kind });
    owner = (await signIn(stack, U.owner)).browser;
    // These tests count the messages member.joined causes: the seeded onboarding checklist (whose start tells its
    // assignees) is switched off here, as a corp without onboarding would have it.
    const sop = (await owner.json<{ items: Array<{ id: number; templateId: number; trigger: string }> }>('/api/sop/rules')).body.items;
    for (const r of sop.filter((x) => x.trigger === 'member_joined'))
      expect(
        (
          await owner.request(`/api/sop/rules/${r.id}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ templateId: r.templateId, trigger: r.trigger, enabled: false }),
          })
        ).status,
      ).toBe(200);
  });
  afterEach(async () => {
    for (const id of rules.splice(0)) await owner.request(`/api/notifications/rules/${id}`, { method: 'DELETE' });
  });
  afterAll(() => stack?.close());

  const addRule = async (over: Record<string, unknown>) => {
    const res = await owner.json<NotificationRuleView>(
      '/api/notifications/rules',
      post({ name: 'r', eventType: 'member.joined', channel: 'app', format: 'text', template: '欢迎 {name}（{userid}）', ...over }),
    );
    expect(res.status).toBe(201);
    rules.push(res.body.id);
    return res.body;
  };
  const joined = (userid: string, name: string) =>
    stack.app.container.uow.run({ actor: 'wecom' }, (tx) => tx.publish('member.joined', { userid, name }).then(() => undefined));
  const texts = (userid: string) => stack.sim.inboxOf(userid).map((m) => JSON.stringify(m.content));
  const deliveriesOf = (ruleId: number) => stack.app.container.ds.getRepository(Delivery).find({ where: { ruleId }, order: { id: 'ASC' } });

  it('sends an app message to each recipient once, rendered from the template', async () => {
    const rule = await addRule({ recipients: { users: [U.owner, U.csAgent] } });
    await joined('new_hire_1', '王小明');
    await waitFor(() => texts(U.csAgent).some((t) => t.includes('欢迎 王小明（new_hire_1）')), 'cs agent got the message');
    await waitFor(() => texts(U.owner).some((t) => t.includes('欢迎 王小明（new_hire_1）')), 'owner got the message');
    await waitFor(async () => (await deliveriesOf(rule.id)).every((d) => d.status === 'sent'), 'both recorded as sent');
    const rows = await deliveriesOf(rule.id);
    expect(rows.map((d) => `${d.target} ${d.status}`).sort()).toEqual([`user:${U.csAgent} sent`, `user:${U.owner} sent`].sort());
    expect(texts(U.owner).filter((t) => t.includes('王小明'))).toHaveLength(1);
  });

  it('does not send when the condition does not hold', async () => {
    const rule = await addRule({ recipients: { users: [U.owner] }, condition: 'name contains "赵"' });
    await joined('new_hire_2', '钱多多');
    await joined('new_hire_3', '赵小北');
    await waitFor(() => texts(U.owner).some((t) => t.includes('赵小北')), 'the matching event was sent');
    expect(texts(U.owner).some((t) => t.includes('钱多多'))).toBe(false);
    expect((await deliveriesOf(rule.id)).map((d) => d.eventType)).toEqual(['member.joined']);
  });

  it('retries through 502, -1 and 45009 and delivers exactly once', async () => {
    const rule = await addRule({ recipients: { users: [U.warehouse] } });
    stack.sim.injectFault('/cgi-bin/message/send', { httpStatus: 502 }, 1);
    stack.sim.injectFault('/cgi-bin/message/send', { errcode: -1 }, 1);
    stack.sim.injectFault('/cgi-bin/message/send', { errcode: 45009 }, 1);
    await joined('new_hire_4', '孙悟净');
    await waitFor(async () => (await deliveriesOf(rule.id))[0]?.status === 'sent', 'delivered after the failures', 15_000);
    const [d] = await deliveriesOf(rule.id);
    expect(d!.attempts).toBe(4);
    expect(texts(U.warehouse).filter((t) => t.includes('孙悟净'))).toHaveLength(1);
  });

  it('marks a delivery WeCom refuses for good dead at once, and the admin can retry it', async () => {
    const rule = await addRule({ recipients: { users: [U.finance] } });
    stack.sim.injectFault('/cgi-bin/message/send', { errcode: 81013 }, 1);
    await joined('new_hire_5', '周无人');
    await waitFor(async () => (await deliveriesOf(rule.id))[0]?.status === 'dead', 'dead after one try');
    const dead = await owner.json<{ deliveries: DeliveryView[] }>('/api/notifications/deliveries?status=dead');
    const mine = dead.body.deliveries.find((d) => d.ruleId === rule.id)!;
    expect(mine).toMatchObject({ status: 'dead', attempts: 1, target: `user:${U.finance}` });
    expect(mine.lastError).toContain('81013');
    const retried = await owner.json<DeliveryView>(`/api/notifications/deliveries/${mine.id}/retry`, post({}));
    expect(retried.body.status).toBe('pending');
    await waitFor(async () => (await deliveriesOf(rule.id))[0]?.status === 'sent', 'sent after the retry');
    expect(texts(U.finance).filter((t) => t.includes('周无人'))).toHaveLength(1);
    const again = await owner.json<{ error: { code: string } }>(`/api/notifications/deliveries/${mine.id}/retry`, post({}));
    expect([again.status, again.body.error.code]).toEqual([409, 'not_dead']);
  });

  it('sends a robot markdown message mentioning the named members, and a test send takes the same path', async () => {
    const simRobot = stack.sim.createRobot('星河店-客服-新人');
    const robot = await owner.json<{ id: number }>('/api/notifications/robots', post({ name: '星河店-客服-新人', webhookUrl: simRobot.webhookUrl }));
    const rule = await addRule({
      channel: 'robot',
      format: 'markdown',
      robotId: robot.body.id,
      recipients: { users: [U.csLead] },
      template: '新同事 **{name}** 入职',
    });
    await joined('new_hire_6', '吴<b>一凡</b>');
    await waitFor(() => stack.sim.robotMessages(simRobot.key).length === 1, 'the robot group got it');
    const [msg] = stack.sim.robotMessages(simRobot.key);
    expect(msg!.msgtype).toBe('markdown');
    expect(msg!.mentions).toEqual([U.csLead]);
    // The member's name is text, not markup.
    expect(JSON.stringify(msg!.content)).not.toContain('<b>');

    const test = await owner.json<RuleTestResponse>(`/api/notifications/rules/${rule.id}/test`, post({ sample: { name: '测试员' } }));
    expect(test.status).toBe(200);
    expect(test.body.queued).toEqual([expect.objectContaining({ channel: 'robot', target: `robot:${robot.body.id}` })]);
    await waitFor(() => stack.sim.robotMessages(simRobot.key).length === 2, 'the test message arrived');
    expect(JSON.stringify(stack.sim.robotMessages(simRobot.key)[1]!.content)).toContain('测试员');
  });

  it('merges a burst of 500 for one robot into summaries within 20 a minute; every event is named or counted, and listed behind its summary', async () => {
    const simRobot = stack.sim.createRobot('星河店-仓储-入职');
    const robot = await owner.json<{ id: number }>('/api/notifications/robots', post({ name: '星河店-仓储-入职', webhookUrl: simRobot.webhookUrl }));
    const rule = await addRule({ channel: 'robot', format: 'text', robotId: robot.body.id, template: '{userid}' });
    const N = 500;
    for (let batch = 0; batch < 5; batch++)
      await stack.app.container.uow.run({ actor: 'wecom' }, async (tx) => {
        for (let i = batch * 100 + 1; i <= (batch + 1) * 100; i++) await tx.publish('member.joined', { userid: `burst_${i}`, name: `批量${i}` });
      });
    await waitFor(
      async () => {
        const rows = await deliveriesOf(rule.id);
        return rows.length === N && rows.every((d) => d.status === 'sent' || d.status === 'merged');
      },
      'all handled',
      60_000,
      100,
    );
    const messages = stack.sim.robotMessages(simRobot.key);
    expect(messages.length).toBeLessThanOrEqual(20);
    expect(stack.sim.stats.limitViolations).toEqual([]);

    // Each message names events (burst_<i>) and may count the rest ("…另有 K 条"): together exactly the N, none twice.
    const named = messages.flatMap((m) => [...JSON.stringify(m.content).matchAll(/burst_(\d+)\b/g)].map((x) => Number(x[1])));
    const counted = messages.reduce((n, m) => n + Number(/另有 (\d+) 条/.exec(JSON.stringify(m.content))?.[1] ?? 0), 0);
    expect(new Set(named).size).toBe(named.length);
    expect(named.length + counted).toBe(N);

    const rows = await deliveriesOf(rule.id);
    const sent = rows.filter((d) => d.status === 'sent');
    expect(sent).toHaveLength(messages.length);
    for (const d of rows.filter((r) => r.status === 'merged')) expect(sent.map((s) => s.id)).toContain(d.mergedInto);

    // Behind each summary, the H5 list holds exactly the messages it stands for; all of them together are the N.
    const agent = (await signIn(stack, U.csAgent)).browser;
    const listed: string[] = [];
    for (const d of sent) {
      if (!d.message.batch) {
        listed.push(d.message.text);
        continue;
      }
      expect(d.message.url).toBe(`${stack.app.container.config.PUBLIC_URL}/notifications/batches/${d.id}`);
      const batch = await agent.json<BatchResponse>(`/api/notifications/batches/${d.id}`);
      expect(batch.status).toBe(200);
      expect(batch.body.items).toHaveLength(rows.filter((r) => r.mergedInto === d.id).length + 1);
      listed.push(...batch.body.items.map((i) => i.text));
    }
    expect(listed.sort()).toEqual(Array.from({ length: N }, (_, i) => `burst_${i + 1}`).sort());
  });

  it('shows a member’s own summary to them only', async () => {
    const repo = stack.app.container.ds.getRepository(Delivery);
    const message = { format: 'text' as const, title: '1 条成员加入', text: '· x', batch: { first: { title: 't', text: '自己的汇总' }, mergedIds: [] } };
    // Recorded as already sent: the worker leaves it alone.
    const d = await repo.save({
      ...pendingDelivery(
        { idempotencyKey: 'own-summary', eventId: 'own-summary', eventType: 'member.joined', ruleId: null, channel: 'app', target: `user:${U.owner}`, message },
        Date.now(),
      ),
      status: 'sent' as const,
      sentAt: Date.now(),
    });
    const agent = (await signIn(stack, U.csAgent)).browser;
    expect((await agent.json(`/api/notifications/batches/${d.id}`)).status).toBe(403);
    const mine = await owner.json<BatchResponse>(`/api/notifications/batches/${d.id}`);
    expect(mine.body.items.map((i) => i.text)).toEqual(['自己的汇总']);
    expect((await owner.json(`/api/notifications/batches/999999`)).status).toBe(404);
  });
});
