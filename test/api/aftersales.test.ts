/**
 * After-sales end to end against the Shopee simulator: a return pushed by Shopee becomes a case with its deadlines; a
 * dropped return push is repaired by the sweep; illegal transitions are refused; refunds at or above the shop's
 * threshold wait for an approver, whose card click (or H5 tap) acts on Shopee once — a second approver is told who
 * decided, an unauthorised click changes nothing, and Shopee's error is shown. On every database of the matrix.
 */
import type { AftersalesPolicy, CaseDetail, CaseListResponse } from '@shopcrew/shared';
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { Delivery } from '../../server/src/modules/notifications/delivery.entity';
import { testDatabases } from '../support/databases';
import { type Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

const post = (body: unknown = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
interface ErrorBody {
  error: { code: string; message: string };
}

describe.each(testDatabases())('after-sales cases ($label)', ({ kind }) => {
  let stack: Stack;
  let agent: Browser;
  let lead: Browser;
  let lead2: Browser;
  let owner: Browser;
  let warehouse: Browser;
  const shopId = () => Number(stack.shopId);

  beforeAll(async () => {
    stack = await startStack({ db: kind, shopee: true });
    const b = await Promise.all([U.csAgent, U.csLead, U.csAftersaleLead, U.owner, U.warehouse].map(async (u) => (await signIn(stack, u)).browser));
    [agent, lead, lead2, owner, warehouse] = b as [Browser, Browser, Browser, Browser, Browser];
  }, 60_000);
  afterAll(() => stack?.close());

  /** A shipped order in the simulator with a return on it; resolves with the case once ShopCrew has it. */
  const newReturn = async (refund: number, opts: { drop?: boolean } = {}) => {
    const order = stack.shopee!.createOrder(shopId(), { order_status: 'SHIPPED' });
    await stack.shopee!.settled();
    if (opts.drop) stack.shopee!.pushFaults({ drop: 1 });
    const r = stack.shopee!.createReturn(order.order_sn, { refund_amount: refund, reason: 'ITEM_DAMAGED', return_solution: 1 });
    await stack.shopee!.settled();
    return r;
  };
  const caseOf = async (returnSn: string) =>
    waitFor(
      async () => (await lead.json<CaseListResponse>('/api/cases?view=all&limit=100')).body.items.find((c) => c.returnSn === returnSn),
      `case for ${returnSn}`,
    );

  it('the default policy of a linked shop: approval from 200 in its currency', async () => {
    const res = await owner.json<AftersalesPolicy>(`/api/aftersales/policies/${stack.shopId}`);
    expect(res.body).toMatchObject({ shopId: stack.shopId, approvalThreshold: 200, currency: 'SGD', dueSoonMinutes: 120 });
  });

  it('a return becomes a case with the platform’s deadlines; an illegal move is refused', async () => {
    const r = await newReturn(20);
    const summary = await caseOf(r.return_sn);
    expect(summary).toMatchObject({
      shopId: stack.shopId,
      orderSn: r.order_sn,
      type: 'refund_only',
      state: 'new',
      platformStatus: 'REQUESTED',
      approvalPending: false,
    });
    expect(summary.refund).toEqual({ amount: 20, currency: 'SGD' });
    const detail = (await agent.json<CaseDetail>(`/api/cases/${summary.id}`)).body;
    expect(detail.deadlines.map((d) => d.key)).toEqual(expect.arrayContaining(['first_response', 'resolution', 'due_date']));
    expect(detail.deadlines.find((d) => d.key === 'due_date')!.at).toBe(new Date(r.due_date * 1000).toISOString());

    const illegal = await agent.json<ErrorBody>(`/api/cases/${summary.id}/transition`, post({ to: 'reopened' }));
    expect([illegal.status, illegal.body.error.code]).toEqual([409, 'illegal_transition']);
    const noReason = await agent.json<ErrorBody>(`/api/cases/${summary.id}/transition`, post({ to: 'resolved' }));
    expect([noReason.status, noReason.body.error.code]).toEqual([422, 'validation_failed']);
    expect((await warehouse.json<ErrorBody>(`/api/cases/${summary.id}/transition`, post({ to: 'in_progress' }))).status).toBe(403);

    expect((await agent.json<CaseDetail>(`/api/cases/${summary.id}/claim`, post())).body.assignee?.userid).toBe(U.csAgent);
    const moving = await agent.json<CaseDetail>(`/api/cases/${summary.id}/transition`, post({ to: 'in_progress' }));
    expect(moving.body.state).toBe('in_progress');
    expect(moving.body.deadlines.find((d) => d.key === 'first_response')!.met).toBe(true);
    const done = await agent.json<CaseDetail>(`/api/cases/${summary.id}/transition`, post({ to: 'resolved', reason: '已与买家协商退款' }));
    expect(done.body.state).toBe('resolved');
    expect(done.body.history[0]!.text).toContain('已与买家协商退款');
    // Below the threshold the assignee acted directly: nothing to approve.
    expect(done.body.approval).toBeNull();
  });

  it('a dropped return push is repaired by the sweep', async () => {
    const r = await newReturn(15, { drop: true });
    expect((await lead.json<CaseListResponse>('/api/cases?view=all&limit=100')).body.items.some((c) => c.returnSn === r.return_sn)).toBe(false);
    expect(await stack.app.container.returnSync.sweep(stack.shopId!)).toBeGreaterThanOrEqual(1);
    await caseOf(r.return_sn);
  });

  it('a refund above the threshold: the approval card; an unauthorised click changes nothing; one approver decides and Shopee is told once', async () => {
    const r = await newReturn(250);
    const summary = await caseOf(r.return_sn);
    expect(summary.approvalPending).toBe(true);
    const cardOf = async (userid: string) => {
      await waitFor(() => stack.sim.inboxOf(userid).some((m) => m.card && JSON.stringify(m.content).includes(r.order_sn)), `${userid} got the approval card`);
      return stack.sim.inboxOf(userid).find((m) => m.card && JSON.stringify(m.content).includes(r.order_sn))!.card!;
    };
    const [a, b] = await Promise.all([cardOf(U.csLead), cardOf(U.csAftersaleLead)]);
    const buttons = (a.card as { button_list: Array<{ key: string; text: string }> }).button_list;
    expect(buttons.map((x) => x.text)).toEqual(['同意', '驳回']);
    expect(buttons[0]!.key).toBe(`case.approve:${summary.id}`);
    expect(stack.sim.inboxOf(U.csAgent).some((m) => m.card && JSON.stringify(m.content).includes(r.order_sn))).toBe(false);

    // An agent may not decide (403), and the case still waits.
    expect((await agent.json<ErrorBody>(`/api/cases/${summary.id}/approval`, post({ decision: 'approve' }))).status).toBe(403);
    // Two leads at once: one decision.
    await Promise.allSettled([
      stack.sim.clickCard(U.csLead, a.taskId, buttons[0]!.key, { times: 2 }),
      stack.sim.clickCard(U.csAftersaleLead, b.taskId, (b.card as { button_list: Array<{ key: string }> }).button_list[0]!.key),
    ]);
    const decided = await waitFor(async () => {
      const d = (await lead.json<CaseDetail>(`/api/cases/${summary.id}`)).body;
      // On SQLite a read may land inside the deciding unit (one connection): wait for its last write too.
      return d.approval?.status === 'approved' && d.history.some((h) => h.kind === 'approval') ? d : undefined;
    }, 'approved');
    const winner = decided.approval!.decidedBy!.name;
    await waitFor(
      () =>
        stack.sim.cardState(a.taskId, U.csLead)?.replaceName?.startsWith(`已由 ${winner} 同意`) &&
        stack.sim.cardState(b.taskId, U.csAftersaleLead)?.replaceName?.startsWith(`已由 ${winner} 同意`),
      'both cards show the decision',
    );
    expect(decided.history.filter((h) => h.kind === 'approval')).toHaveLength(1);
    expect(stack.shopee!.return(r.return_sn)!.status).toBe('ACCEPTED');
    const again = await lead.json<ErrorBody>(`/api/cases/${summary.id}/approval`, post({ decision: 'approve' }));
    expect([again.status, again.body.error.code]).toEqual([409, 'already_decided']);
  });

  it('on the card, 驳回 asks for the reason in the H5 and decides nothing; a member without the permission sees 无权限', async () => {
    // A rule that also sends the approval card to an agent, who may not approve.
    const rule = await owner.json<{ id: number }>(
      '/api/notifications/rules',
      post({
        name: '审批抄送客服',
        eventType: 'case.approval_requested',
        shopId: stack.shopId,
        channel: 'app',
        format: 'card',
        recipients: { users: [U.csAgent] },
      }),
    );
    expect(rule.status).toBe(201);
    try {
      const r = await newReturn(260);
      const summary = await caseOf(r.return_sn);
      const cardOf = async (userid: string) => {
        await waitFor(() => stack.sim.inboxOf(userid).some((m) => m.card && JSON.stringify(m.content).includes(r.order_sn)), `${userid} got the card`);
        return stack.sim.inboxOf(userid).find((m) => m.card && JSON.stringify(m.content).includes(r.order_sn))!.card!;
      };
      const [agentCard, leadCard] = await Promise.all([cardOf(U.csAgent), cardOf(U.csLead)]);
      const keys = (c: { card: unknown }) => (c.card as { button_list: Array<{ key: string }> }).button_list.map((b) => b.key);
      await stack.sim.clickCard(U.csAgent, agentCard.taskId, keys(agentCard)[0]!);
      await waitFor(() => stack.sim.cardState(agentCard.taskId, U.csAgent)?.replaceName === '无权限', 'the agent sees 无权限');
      await stack.sim.clickCard(U.csLead, leadCard.taskId, keys(leadCard)[1]!);
      await waitFor(() => stack.sim.cardState(leadCard.taskId, U.csLead)?.replaceName === '请在店务通填写驳回理由', 'the lead is sent to the H5');
      const still = (await lead.json<CaseDetail>(`/api/cases/${summary.id}`)).body;
      expect(still.approval?.status).toBe('pending');
      expect(stack.shopee!.return(r.return_sn)!.status).toBe('REQUESTED');
    } finally {
      await owner.request(`/api/notifications/rules/${rule.body.id}`, { method: 'DELETE' });
    }
  });

  it('Shopee’s error on approval is shown; rejecting needs a reason', async () => {
    const r = await newReturn(300);
    const summary = await caseOf(r.return_sn);
    const noReason = await lead.json<ErrorBody>(`/api/cases/${summary.id}/approval`, post({ decision: 'reject' }));
    expect([noReason.status, noReason.body.error.code]).toEqual([422, 'validation_failed']);
    stack.shopee!.failNextReturnAction(r.return_sn, 'returns.error_status', 'The return status does not allow this action.');
    const failed = await lead2.json<CaseDetail>(`/api/cases/${summary.id}/approval`, post({ decision: 'approve' }));
    expect(failed.status).toBe(200);
    expect(failed.body.approval).toMatchObject({ status: 'failed', error: 'returns.error_status' });
    const rejected = await lead2.json<CaseDetail>(`/api/cases/${summary.id}/approval`, post({ decision: 'reject', reason: '买家未寄回商品' }));
    expect(rejected.body.approval).toMatchObject({ status: 'rejected', reason: '买家未寄回商品' });
  });

  it('a return & refund whose buyer proposal waits: approving accepts the proposal (accept_offer), the buyer ships it back', async () => {
    const order = stack.shopee!.createOrder(shopId(), { order_status: 'COMPLETED' });
    await stack.shopee!.settled();
    const r = stack.shopee!.createReturn(order.order_sn, { refund_amount: 260, reason: 'WRONG_ITEM', return_solution: 0 });
    await stack.shopee!.settled();
    const summary = await caseOf(r.return_sn);
    expect(stack.shopee!.return(r.return_sn)!.negotiation.negotiation_status).toBe('PENDING_RESPOND');
    const decided = await lead.json<CaseDetail>(`/api/cases/${summary.id}/approval`, post({ decision: 'approve' }));
    expect(decided.body.approval).toMatchObject({ status: 'approved' });
    // confirm would have refunded at once (ACCEPTED); the accepted proposal is a return first.
    expect(stack.shopee!.return(r.return_sn)).toMatchObject({ status: 'PROCESSING', negotiation: { negotiation_status: 'TERMINATED' } });
    expect(decided.body.history.some((h) => h.text.includes('已接受买家方案'))).toBe(true);
  });

  it('with round-robin, a new case goes to the on-duty member with the fewest open cases', async () => {
    const put = (body: unknown): RequestInit => ({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const zhaolei = (await signIn(stack, U.csAgent2)).browser;
    await owner.json(`/api/shops/${stack.shopId}/assignment`, put({ mode: 'round_robin', cap: 5 }));
    await zhaolei.json('/api/orders/duty', put({ onDuty: true }));
    try {
      const r = await newReturn(12);
      const c = await caseOf(r.return_sn);
      expect(c.assignee?.userid).toBe(U.csAgent2);
      const detail = (await zhaolei.json<CaseDetail>(`/api/cases/${c.id}`)).body;
      expect(detail.history.some((h) => h.kind === 'assigned' && h.text === '自动分配给 赵磊')).toBe(true);
      expect((await zhaolei.json<CaseListResponse>('/api/cases?view=mine')).body.items.map((x) => x.id)).toContain(c.id);
    } finally {
      await owner.json(`/api/shops/${stack.shopId}/assignment`, put({ mode: 'manual', cap: 20 }));
      await zhaolei.json('/api/orders/duty', put({ onDuty: false }));
    }
  });

  it('the daily digest tells each agent their open cases, most urgent first, with countdowns', async () => {
    const zhaolei = (await signIn(stack, U.csAgent2)).browser;
    const made = await zhaolei.json<CaseDetail>('/api/cases', post({ shopId: stack.shopId, orderSn: 'DIGEST001', type: 'complaint', title: '催发货' }));
    await zhaolei.json(`/api/cases/${made.body.id}/claim`, post());
    await stack.app.container.agentDigest.publish(Date.now());
    // What goes to each agent (the governor may hold or merge it, as any message, when the agent got many lately).
    const digests = stack.app.container.ds.getRepository(Delivery);
    const mine = await waitFor(() => digests.findOneBy({ eventType: 'case.agent_digest', target: `user:${U.csAgent2}` }), 'the agent digest for 赵磊');
    const text = JSON.stringify(mine.message);
    expect(text).toContain('我的售后日报');
    expect(text).toContain(`#${made.body.id} DIGEST001`);
    expect(text).toMatch(/剩 \d+ (小时|分)/);
    // Only members holding cases hear of it.
    expect(await digests.findOneBy({ eventType: 'case.agent_digest', target: `user:${U.warehouse}` })).toBeNull();
  });

  it('a case opened by hand, linked to an order; lists by view', async () => {
    const made = await agent.json<CaseDetail>('/api/cases', post({ shopId: stack.shopId, orderSn: 'MANUAL001', type: 'complaint', title: '买家投诉包装破损' }));
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ state: 'new', type: 'complaint', orderSn: 'MANUAL001', returnSn: null, title: '买家投诉包装破损' });
    const bad = await agent.json<ErrorBody>('/api/cases', post({ shopId: stack.shopId, type: 'complaint', title: '' }));
    expect([bad.status, bad.body.error.code]).toEqual([422, 'validation_failed']);
    const unassigned = await agent.json<CaseListResponse>('/api/cases?view=unassigned&limit=100');
    expect(unassigned.body.items.map((c) => c.id)).toContain(made.body.id);
    // Most urgent first.
    const due = unassigned.body.items.map((c) => c.dueAt ?? '9999');
    expect([...due].sort()).toEqual(due);
    expect((await warehouse.json<CaseListResponse>('/api/cases?view=all')).status).toBe(200);
  });
});
