/**
 * Figures from facts, on every database of the matrix, against a hand-computed fixture in Asia/Shanghai: an order
 * just after midnight belongs to the next day, a refund to the day it went through, an order cancelled before
 * shipping counts nowhere, two currencies are never added together, rates are sums divided, and rolling a day again
 * gives the same figures.
 */
import type { MetricsResponse } from '@shopcrew/shared';
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { MetricDaily } from '../../server/src/modules/metrics/metric.entity';
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

  it('an alert line tells once per breach, and again only after it recovered', async () => {
    const c = stack.app.container;
    const created = await owner.json<{ id: number }>('/api/alerts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '退款率预警线', metric: 'refund_rate', shopId: '11', comparison: '>', threshold: 0.5 }),
    });
    expect(created.status).toBe(201);
    const moneyWithoutCurrency = await owner.request('/api/alerts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'GMV', metric: 'gmv', comparison: '<', threshold: 1 }),
    });
    expect(moneyWithoutCurrency.status).toBe(422);
    expect((await agent.request('/api/alerts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(403);
    expect(await c.metricAlerts.evaluate('2026-11-10')).toBe(1); // 1 refunded of 1 shipped
    expect(await c.metricAlerts.evaluate('2026-11-10')).toBe(0); // still breached: not told again
    expect(await c.metricAlerts.evaluate('2026-11-11')).toBe(0); // no shipped orders: no rate, recovered
    expect(await c.metricAlerts.evaluate('2026-11-10')).toBe(1); // crossed again after recovering
    const alerts = (await owner.json<{ items: Array<{ state: string; since: string }> }>('/api/alerts')).body.items;
    expect(alerts[0]).toMatchObject({ state: 'breached', since: '2026-11-10' });
  });

  it('an early warning when a day departs from the same weekday of the last eight weeks, told once with its reason', async () => {
    const c = stack.app.container;
    const day = '2026-11-09';
    const rows = Array.from({ length: 8 }, (_, i) => ({
      day: new Date(Date.parse(`${day}T00:00:00Z`) - 7 * (i + 1) * 86_400_000).toISOString().slice(0, 10),
      value: 3,
    }));
    rows.push({ day, value: 12 });
    await c.ds
      .getRepository(MetricDaily)
      .insert(rows.map((r) => ({ ...r, shopId: '33', scope: 'shop' as const, scopeKey: '33', measure: 'refunded_orders', currency: '' })));
    expect(await c.earlyWarnings.evaluate(day, ['33'])).toBe(1);
    expect(await c.earlyWarnings.evaluate(day, ['33'])).toBe(0);
    const warnings = (await owner.json<{ items: Array<{ reason: string; metric: string }> }>(`/api/alerts/warnings?from=${day}&to=${day}`)).body.items;
    expect(warnings).toEqual([expect.objectContaining({ metric: 'refunded_orders', reason: '退款订单数 12，近 8 周同日均值 3' })]);
  });
});
