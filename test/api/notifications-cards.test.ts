/**
 * Approval-style cards end to end: a rule sends an event as a button_interaction card to several members; a click in
 * the simulator comes back as a real encrypted template_card_event through the inbox, runs the card action as the
 * clicking member, and the result replaces the buttons on every recipient's card (update_template_card, each code
 * once). A member without the action's permission sees 无权限 and nothing changes; the same click delivered twice
 * acts once; two members clicking at once make one winner. On every database of the matrix.
 */
import type { NotificationRuleView } from '@shopcrew/shared';
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { MODULES } from '../../server/src/modules';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { defineModule } from '../../server/src/platform/module';
import { testDatabases } from '../support/databases';
import { type Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Who won each probe order: the action decides exactly one winner itself, as order.claim will. */
const claims = new Map<string, string>();
const probeOrders = defineModule({
  name: 'probe_orders',
  entities: [],
  create: () => ({
    events: [
      {
        type: 'probe_order.created',
        label: '测试新订单',
        fields: { order_id: { label: '订单号', type: 'string' }, amount: { label: '总价', type: 'number' } },
        card: { actions: ['probe_order.claim'], target: 'order_id' },
      },
    ],
    cardActions: [
      {
        key: 'probe_order.claim',
        label: '认领',
        permission: 'orders:claim',
        handle: ({ userid, target }) => {
          if (!claims.has(target)) claims.set(target, userid);
          return Promise.resolve({ text: `已由 ${claims.get(target)} 认领` });
        },
      },
    ],
  }),
});

describe.each(testDatabases())('approval-style cards ($label)', ({ kind }) => {
  let stack: Stack;
  let owner: Browser;

  beforeAll(async () => {
    stack = await startStack({ db: kind, modules: [...MODULES, probeOrders] });
    owner = (await signIn(stack, U.owner)).browser;
  });
  afterAll(() => stack?.close());

  const addCardRule = async (eventType: string, users: string[]) => {
    const res = await owner.json<NotificationRuleView>(
      '/api/notifications/rules',
      post({
        name: 'card',
        eventType,
        channel: 'app',
        format: 'card',
        recipients: { users },
        template: eventType === 'member.joined' ? '新同事 {name}' : '订单 {order_id} 金额 {amount}',
      }),
    );
    expect(res.status).toBe(201);
    return res.body;
  };
  const publish = (type: string, payload: Record<string, unknown>) =>
    stack.app.container.uow.run({ actor: 'system' }, (tx) => tx.publish(type, payload).then(() => undefined));
  /** The card `userid` got whose text mentions `marker`. */
  const cardOf = async (userid: string, marker: string) => {
    await waitFor(() => stack.sim.inboxOf(userid).some((m) => m.card && JSON.stringify(m.content).includes(marker)), `${userid} got the card for ${marker}`);
    return stack.sim.inboxOf(userid).find((m) => m.card && JSON.stringify(m.content).includes(marker))!.card!;
  };
  const shows = (userid: string, taskId: string) => stack.sim.cardState(taskId, userid)?.replaceName ?? null;
  const keyOf = (card: { card: unknown }) => (card.card as { button_list: Array<{ key: string }> }).button_list[0]!.key;
  const actionsAudited = async (taskIds: string[]) =>
    (await stack.app.container.ds.getRepository(AuditEntry).findBy({ action: 'notifications.card_action' })).filter((a) => taskIds.includes(a.targetId ?? ''))
      .length;

  it('我来处理: one click settles the card for everyone who got it, and a repeated callback acts once', async () => {
    await addCardRule('member.joined', [U.owner, U.csAgent, U.csLead]);
    await publish('member.joined', { userid: 'card_hire_1', name: '郑一' });
    const cards = await Promise.all([U.owner, U.csAgent, U.csLead].map((u) => cardOf(u, '郑一')));
    expect(new Set(cards.map((c) => c.taskId)).size).toBe(3);
    expect(cards.map((c) => (c.card as { button_list: Array<{ text: string }> }).button_list.map((b) => b.text))).toEqual([
      ['我来处理'],
      ['我来处理'],
      ['我来处理'],
    ]);

    await stack.sim.clickCard(U.csAgent, cards[1]!.taskId, keyOf(cards[1]!), { times: 2 });
    for (const [i, u] of [U.owner, U.csAgent, U.csLead].entries())
      await waitFor(() => shows(u, cards[i]!.taskId) === '已由 李娜 处理', `${u}'s card shows who took it`);
    expect(await actionsAudited(cards.map((c) => c.taskId))).toBe(1);
  });

  it('a member without the action’s permission sees 无权限 and nothing changes; the next authorised click wins', async () => {
    const order = `SO-${kind}`;
    await addCardRule('probe_order.created', [U.finance, U.csAgent, U.csLead]);
    await publish('probe_order.created', { order_id: order, amount: 520 });
    const [fin, agent, lead] = await Promise.all([U.finance, U.csAgent, U.csLead].map((u) => cardOf(u, order)));
    expect(keyOf(agent!)).toBe(`probe_order.claim:${order}`);

    await stack.sim.clickCard(U.finance, fin!.taskId, keyOf(fin!));
    await waitFor(() => shows(U.finance, fin!.taskId) === '无权限', 'finance sees 无权限');
    expect(claims.has(order)).toBe(false);
    expect(shows(U.csAgent, agent!.taskId)).toBeNull();

    // Two members at once: one winner, and every card that can still change shows that winner.
    await Promise.allSettled([stack.sim.clickCard(U.csAgent, agent!.taskId, keyOf(agent!)), stack.sim.clickCard(U.csLead, lead!.taskId, keyOf(lead!))]);
    const winner = await waitFor(() => claims.get(order), 'someone claimed it');
    await waitFor(
      () => shows(U.csAgent, agent!.taskId) === `已由 ${winner} 认领` && shows(U.csLead, lead!.taskId) === `已由 ${winner} 认领`,
      'both cards show the winner',
    );
    expect(shows(U.finance, fin!.taskId)).toBe('无权限');
    expect(await actionsAudited([fin!.taskId, agent!.taskId, lead!.taskId])).toBe(1);
  });
});
