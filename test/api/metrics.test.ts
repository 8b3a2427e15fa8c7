/**
 * Figures from facts, on every database of the matrix, against a hand-computed fixture in Asia/Shanghai: an order
 * just after midnight belongs to the next day, a refund to the day it went through, an order cancelled before
 * shipping counts nowhere, two currencies are never added together, rates are sums divided, and rolling a day again
 * gives the same figures.
 */
import type { MetricsResponse } from '@shopcrew/shared';
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { testDatabases } from '../support/databases';
import { type Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';

/** An instant given as Asia/Shanghai wall time. */
const sh = (local: string) => Date.parse(`${local}+08:00`);

describe.each(testDatabases())('metrics ($label)', ({ kind }) => {
  let stack: Stack;
  let owner: Browser;
  let agent: Browser;

  beforeAll(async () => {
    stack = await startStack({ db: kind, env: { TZ_CORP: 'Asia/Shanghai' } });
    owner = (await signIn(stack, U.owner)).browser;
    agent = (await signIn(stack, U.csAgent)).browser;
    const c = stack.app.container;
    const order = (
      id: string,
      shop: string,
      currency: string,
      total: number,
      created: string,
      status: string,
      updated: string,
      shipBy?: string,
      sku = 'CUP',
    ) => ({
      order_id: id,
      shop_id: shop,
      status,
      currency,
      total,
      create_time: sh(created),
      update_time: sh(updated),
      ...(shipBy ? { ship_by: sh(shipBy) } : {}),
      items: JSON.stringify([{ sku, name: '保温杯', qty: 2, amount: total }]),
    });
    await c.uow.run({ actor: 'shopee' }, async (tx) => {
      await tx.publish('order.synced', order('A1', '11', 'SGD', 100, '2026-11-10T10:00:00', 'SHIPPED', '2026-11-10T20:00:00', '2026-11-11T12:00:00'));
      await tx.publish('order.synced', order('A2', '11', 'SGD', 50, '2026-11-10T23:30:00', 'CANCELLED', '2026-11-10T23:40:00'));
      await tx.publish('order.synced', order('A3', '11', 'SGD', 30, '2026-11-11T00:10:00', 'READY_TO_SHIP', '2026-11-11T00:10:00'));
      await tx.publish('order.synced', order('B1', '22', 'CNY', 200, '2026-11-10T12:00:00', 'SHIPPED', '2026-11-12T09:00:00', '2026-11-11T12:00:00', 'PEN'));
      // Refunds just before and just after midnight: each belongs to its own day.
      await tx.publish('return.refunded', { case_id: '1', shop_id: '11', order_id: 'A1', amount: 40, currency: 'SGD', at: sh('2026-11-10T23:59:30') });
      await tx.publish('return.refunded', { case_id: '2', shop_id: '11', order_id: 'A3', amount: 30, currency: 'SGD', at: sh('2026-11-11T00:00:30') });
    });
    // A late, older version of A1 changes nothing; the first claim is timed, a transfer is not.
    await c.uow.run({ actor: 'shopee' }, (tx) =>
      tx.publish('order.synced', order('A1', '11', 'SGD', 999, '2026-11-10T10:00:00', 'READY_TO_SHIP', '2026-11-10T11:00:00')),
    );
    const waitFacts = async () => {
      for (let i = 0; i < 100 && (await c.ds.query('SELECT COUNT(*) AS n FROM metric_refunds'))[0].n < 2; i++) await new Promise((r) => setTimeout(r, 50));
    };
    await waitFacts();
    await c.metricFacts.claimed(c.ds.manager, {
      id: 'x1',
      type: 'order.claimed',
      actor: U.csAgent,
      requestId: null,
      occurredAt: sh('2026-11-10T10:30:00'),
      payload: { order_id: 'A1', assignee: U.csAgent },
    });
    await c.metricFacts.claimed(c.ds.manager, {
      id: 'x2',
      type: 'order.assigned',
      actor: U.csLead,
      requestId: null,
      occurredAt: sh('2026-11-10T15:00:00'),
      payload: { order_id: 'A1', assignee: U.csLead },
    });
    await new Promise((r) => setTimeout(r, 500)); // the outbox delivers the late A1 version
    await c.metricRollup.dirty();
  }, 60_000);
  afterAll(() => stack?.close());

  const get = async (query: string) => (await owner.json<MetricsResponse>(`/api/metrics?from=2026-11-10&to=2026-11-12&${query}`)).body;
  const points = (r: MetricsResponse, key: string, currency: string | null = null) =>
    Object.fromEntries(r.series.find((s) => s.key === key && s.currency === currency)!.points.map((p) => [p.day, p.value]));

  it('GMV and orders by the day they were created there, without orders cancelled before shipping, per currency', async () => {
    const gmv = await get('metric=gmv&scope=shop');
    expect(points(gmv, '11', 'SGD')).toEqual({ '2026-11-10': 100, '2026-11-11': 30 });
    expect(points(gmv, '22', 'CNY')).toEqual({ '2026-11-10': 200 });
    const team = await get('metric=gmv&scope=team');
    expect(team.series.map((s) => [s.currency, s.total]).sort()).toEqual([
      ['CNY', 200],
      ['SGD', 130],
    ]);
    expect(points(await get('metric=aov&scope=shop'), '11', 'SGD')).toEqual({ '2026-11-10': 100, '2026-11-11': 30 });
  });

  it('refunds by the day they went through; rates are sums divided, undefined over nothing', async () => {
    expect(points(await get('metric=refund_amount&scope=shop'), '11', 'SGD')).toEqual({ '2026-11-10': 40, '2026-11-11': 30 });
    expect(points(await get('metric=net_gmv&scope=shop'), '11', 'SGD')).toEqual({ '2026-11-10': 60, '2026-11-11': 0 });
    const rate = await get('metric=refund_rate&scope=shop');
    expect(points(rate, '11')).toEqual({ '2026-11-10': 1, '2026-11-11': null });
    expect(rate.series.find((s) => s.key === '11')!.total).toBe(2);
    expect(points(await get('metric=on_time_rate&scope=shop'), '22')).toEqual({ '2026-11-12': 0 });
  });

  it('time to claim per member: the first claim, not a later transfer', async () => {
    const byMember = await get('metric=claim_minutes&scope=member');
    expect(byMember.series.map((s) => [s.key, s.label, s.total])).toEqual([[U.csAgent, '李娜', 30]]);
  });

  it('rolling a day again gives the same figures; a member without metrics:read is refused', async () => {
    const before = await get('metric=gmv&scope=sku');
    await stack.app.container.metricRollup.day('2026-11-10', '11');
    expect(await get('metric=gmv&scope=sku')).toEqual(before);
    expect(points(before, 'CUP', 'SGD')).toEqual({ '2026-11-10': 100, '2026-11-11': 30 });
    expect((await agent.request('/api/metrics?metric=gmv&from=2026-11-10&to=2026-11-12')).status).toBe(403);
    expect((await owner.request('/api/metrics?metric=units&scope=shop&from=2026-11-10&to=2026-11-12')).status).toBe(422);
  });
});
