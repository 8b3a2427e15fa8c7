/**
 * After-sales and checklist figures from aftersales' and sop's events, on every database of the matrix, against a
 * hand-computed fixture in Asia/Shanghai (the events' times are given, so the days are known):
 *
 *   case 9001  opened 11-10 09:00 (李娜)   handled 09:30 by 李娜 (30 min)   resolved 15:00 (360 min)   breached 12:00 (李娜)
 *   case 9002  opened 11-10 23:50         moved by Shopee 23:55 (not the team)   handled 11-11 00:20 by 王芳 (30 min)
 *   case 9003  opened 11-10 10:00 → 李娜, then 王芳   resolved 11-11 10:00 by 王芳 (1440 min: its first response too),
 *           reopened 11-11 12:00 (the resolution no longer counts), resolved again 11-12 10:00 (2880 min)
 *   checklists of shop 11: one completed 11-10 20:00, one step overdue 11-10 21:00 (李娜); a corp-wide one (no shop) ignored
 *
 * Then the real flow: a case opened, handled and resolved through the after-sales service reaches the facts by its
 * events (the member who moved it, the assignee who resolved it).
 */
import { CASE_STATE_ZH, type CaseState, type MetricKey, type MetricsResponse } from '@shopcrew/shared';
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { MetricCase } from '../../server/src/modules/metrics/metric.entity';
import type { DomainEvent } from '../../server/src/platform/events';
import { testDatabases } from '../support/databases';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

const sh = (local: string) => Date.parse(`${local}+08:00`);
const SHOP = '11';

describe.each(testDatabases())('case and checklist metrics ($label)', ({ kind }) => {
  let stack: Stack;
  let n = 0;
  const event = (type: string, actor: string, at: string, payload: Record<string, unknown>): DomainEvent => ({
    id: `fixture-${++n}`,
    type,
    actor,
    requestId: null,
    occurredAt: sh(at),
    payload,
  });
  const moved = (caseId: string, from: CaseState, to: CaseState) => ({
    case_id: caseId,
    shop_id: SHOP,
    order_id: '—',
    from: CASE_STATE_ZH[from],
    to: CASE_STATE_ZH[to],
  });

  beforeAll(async () => {
    stack = await startStack({ db: kind, shopee: true, env: { TZ_CORP: 'Asia/Shanghai' } });
    const f = stack.app.container.metricCaseFacts;
    const m = stack.app.container.ds.manager;
    const opened = (id: string, at: string, assignee?: string) =>
      f.opened(m, event('case.opened', 'shopee', at, { case_id: id, shop_id: SHOP, order_id: `O${id}`, ...(assignee ? { assignee } : {}) }));
    await opened('9001', '2026-11-10T09:00:00', U.csAgent);
    await opened('9002', '2026-11-10T23:50:00');
    await opened('9003', '2026-11-10T10:00:00');
    await opened('9001', '2026-11-10T09:05:00'); // told twice: the first stays
    await f.assigned(m, event('case.assigned', U.csLead, '2026-11-10T10:01:00', { case_id: '9003', shop_id: SHOP, assignee: U.csAgent }));
    await f.assigned(m, event('case.assigned', U.csLead, '2026-11-10T10:02:00', { case_id: '9003', shop_id: SHOP, assignee: U.csLead }));
    await f.stateChanged(m, event('case.state_changed', U.csAgent, '2026-11-10T09:30:00', moved('9001', 'new', 'in_progress')));
    await f.stateChanged(m, event('case.state_changed', U.csAgent, '2026-11-10T15:00:00', moved('9001', 'in_progress', 'resolved')));
    await f.stateChanged(m, event('case.state_changed', U.csAgent, '2026-11-10T16:00:00', moved('9001', 'resolved', 'closed'))); // not twice
    await f.stateChanged(m, event('case.state_changed', 'shopee', '2026-11-10T23:55:00', moved('9002', 'new', 'waiting_platform')));
    await f.stateChanged(m, event('case.state_changed', U.csLead, '2026-11-11T00:20:00', moved('9002', 'waiting_platform', 'in_progress')));
    await f.stateChanged(m, event('case.state_changed', U.csLead, '2026-11-11T10:00:00', moved('9003', 'new', 'resolved')));
    await f.stateChanged(m, event('case.state_changed', U.csLead, '2026-11-11T12:00:00', moved('9003', 'resolved', 'reopened')));
    await f.stateChanged(m, event('case.state_changed', U.csLead, '2026-11-12T10:00:00', moved('9003', 'reopened', 'resolved')));
    await f.stateChanged(m, event('case.state_changed', U.csLead, '2026-11-12T11:00:00', moved('99', 'new', 'resolved'))); // unknown case
    const breach = { case_id: '9001', shop_id: SHOP, order_id: 'O9001', deadline: '解决时限', due_at: sh('2026-11-10T12:00:00'), assignee: U.csAgent };
    await f.breached(m, event('case.breached', 'system', '2026-11-10T12:00:00', breach));
    const run = { run_id: '5', template: '每日店铺检查', subject: '星河旗舰店', url: '/checklists/5' };
    await f.checklist(m, event('checklist.completed', U.csAgent, '2026-11-10T20:00:00', { ...run, shop_id: SHOP, started_by: U.csLead }));
    await f.checklist(
      m,
      event('checklist.overdue', 'system', '2026-11-10T21:00:00', { ...run, shop_id: SHOP, step_id: '8', step: '核对库存', due_at: 1, assignee: U.csAgent }),
    );
    await f.checklist(m, event('checklist.completed', U.csAgent, '2026-11-10T22:00:00', { ...run, started_by: U.owner })); // no shop
    await stack.app.container.metricRollup.dirty();
  }, 60_000);
  afterAll(() => stack?.close());

  const figures = (metric: MetricKey, scope: 'shop' | 'member' | 'team') =>
    stack.app.container.metricQuery.compute({ metric, scope, shop: SHOP, from: '2026-11-10', to: '2026-11-12', granularity: 'day', limit: 20 }, 'all');
  const byDay = (r: MetricsResponse, key: string) => Object.fromEntries(r.series.find((s) => s.key === key)!.points.map((p) => [p.day, p.value]));
  const totals = (r: MetricsResponse) => Object.fromEntries(r.series.map((s) => [s.key, s.total]));

  it('cases opened by the day they were opened; first response by the day the team first moved the case', async () => {
    expect(byDay(await figures('cases_opened', 'shop'), SHOP)).toEqual({ '2026-11-10': 3 });
    const response = await figures('first_response_minutes', 'shop');
    expect(byDay(response, SHOP)).toEqual({ '2026-11-10': 30, '2026-11-11': 735 });
    expect(response.series[0]!.total).toBe(500); // (30 + 30 + 1440) ÷ 3: sums divided, not a mean of days
    expect(totals(await figures('first_response_minutes', 'member'))).toEqual({ [U.csAgent]: 30, [U.csLead]: 735 });
  });

  it('resolution by the day of the last resolution (a reopened case counts again), against the assignee then', async () => {
    expect(byDay(await figures('resolved_cases', 'shop'), SHOP)).toEqual({ '2026-11-10': 1, '2026-11-12': 1 });
    const resolution = await figures('resolution_minutes', 'team');
    expect(byDay(resolution, 'all')).toEqual({ '2026-11-10': 360, '2026-11-12': 2880 });
    expect(resolution.series[0]!.total).toBe(1620);
    expect(totals(await figures('resolved_cases', 'member'))).toEqual({ [U.csAgent]: 1, [U.csLead]: 1 });
  });

  it('SLA breaches and checklists of the shop, per member where they belong to one', async () => {
    expect(byDay(await figures('sla_breaches', 'shop'), SHOP)).toEqual({ '2026-11-10': 1 });
    expect(totals(await figures('sla_breaches', 'member'))).toEqual({ [U.csAgent]: 1 });
    expect(byDay(await figures('checklists_completed', 'shop'), SHOP)).toEqual({ '2026-11-10': 1 });
    expect(totals(await figures('checklist_overdue', 'member'))).toEqual({ [U.csAgent]: 1 });
  });

  it('rolling the days again gives the same figures', async () => {
    const before = await figures('first_response_minutes', 'member');
    for (const day of ['2026-11-10', '2026-11-11', '2026-11-12']) await stack.app.container.metricRollup.day(day, SHOP);
    expect(await figures('first_response_minutes', 'member')).toEqual(before);
  });

  it('a case handled and resolved through the after-sales service reaches the facts by its events', async () => {
    const c = stack.app.container;
    const agent = await c.authz.actor(U.csAgent);
    const created = await c.cases.create(agent, { shopId: stack.shopId!, type: 'complaint', title: '买家投诉包装破损' });
    await c.cases.claim(agent, created.id);
    await c.cases.transition(agent, created.id, 'in_progress', undefined);
    await c.cases.transition(agent, created.id, 'resolved', '已补发');
    const fact = await waitFor(async () => {
      const row = await c.ds.getRepository(MetricCase).findOneBy({ caseId: String(created.id) });
      return row?.resolvedAt ? row : null;
    }, 'the case resolved in the facts');
    expect(fact).toMatchObject({ shopId: stack.shopId, assignee: U.csAgent, respondedBy: U.csAgent, resolvedBy: U.csAgent });
    expect(fact.respondedAt).toBeGreaterThanOrEqual(fact.openedAt);
    expect(fact.resolvedAt).toBeGreaterThanOrEqual(fact.respondedAt!);
  });
});
