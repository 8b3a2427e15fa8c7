/**
 * Figures from facts, on every database of the matrix, against a hand-computed fixture in Asia/Shanghai: an order
 * just after midnight belongs to the next day, a refund to the day it went through, an order cancelled before
 * shipping counts nowhere, two currencies are never added together, rates are sums divided, and rolling a day again
 * gives the same figures.
 */
import type { AlertLine, MetricsResponse, MetricTarget, TargetsResponse } from '@shopcrew/shared';
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { MetricDaily } from '../../server/src/modules/metrics/metric.entity';
import { Shop } from '../../server/src/modules/shops/shop.entity';
import { OutboxEvent } from '../../server/src/platform/events';
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
    // Shops 11 (SGD) and 22 (CNY) as linked shops, so targets may be set for them.
    for (const [shopId, currency] of [
      ['11', 'SGD'],
      ['22', 'CNY'],
    ])
      await c.ds.getRepository(Shop).insert({
        shopId,
        platform: 'shopee',
        name: `测试店 ${shopId}`,
        region: 'SG',
        currency,
        status: 'active',
        authExpiresAt: null,
        accessToken: 'x',
        refreshToken: 'x',
        accessExpiresAt: 0,
        tokenVersion: 1,
        assignmentMode: 'manual',
        assignmentCap: 20,
        linkedBy: U.owner,
        linkedAt: Date.now(),
        updatedAt: Date.now(),
      });
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

  describe('targets per shop and per SKU', () => {
    const put = (who: Browser, body: unknown) =>
      who.json<MetricTarget>('/api/metrics/targets', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    let skuTarget: MetricTarget;

    it('ops set them (automation:manage); a SKU target in units, a shop target in the shop’s currency; wrong scopes are refused', async () => {
      const sku = await put(owner, { shopId: '11', sku: 'CUP', metric: 'units', daily: 3 });
      expect(sku.status).toBe(200);
      expect(sku.body).toMatchObject({ shopId: '11', shopName: '测试店 11', sku: 'CUP', metric: 'units', currency: null, daily: 3, updatedBy: U.owner });
      const again = await put(owner, { shopId: '11', sku: 'CUP', metric: 'units', daily: 5 }); // replaces it
      expect(again.body).toMatchObject({ id: sku.body.id, daily: 5 });
      skuTarget = again.body;
      expect((await put(owner, { shopId: '11', metric: 'gmv', daily: 80 })).body).toMatchObject({ sku: null, currency: 'SGD', daily: 80 });
      expect((await put(owner, { shopId: '11', metric: 'units', daily: 5 })).status).toBe(422); // units exist per SKU only
      expect((await put(owner, { shopId: '11', sku: 'CUP', metric: 'orders', daily: 5 })).status).toBe(422);
      expect((await put(owner, { shopId: '11', sku: 'CUP', metric: 'units', daily: -1 })).status).toBe(422);
      expect((await put(owner, { shopId: '99', metric: 'orders', daily: 5 })).status).toBe(422); // no such shop
      const lead = (await signIn(stack, U.csLead)).browser; // reads figures, may not set targets
      expect((await put(lead, { shopId: '11', metric: 'orders', daily: 5 })).status).toBe(403);
      expect((await put(agent, { shopId: '11', metric: 'orders', daily: 5 })).status).toBe(403);
      const audit = await stack.app.container.ds.query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'metrics.target_set'");
      expect(Number(audit[0].n)).toBe(3);
    });

    it('are read with their progress over a range (done ÷ daily target × days), and beside the figures', async () => {
      const list = (await owner.json<TargetsResponse>('/api/metrics/targets?from=2026-11-10&to=2026-11-12')).body.items;
      expect(list.map((t) => [t.sku, t.metric, t.progress])).toEqual([
        [null, 'gmv', { actual: 130, expected: 240, ratio: 0.5417 }],
        ['CUP', 'units', { actual: 4, expected: 15, ratio: 0.2667 }],
      ]);
      // Days before the shop had any figure are not asked to meet the target: from 11-01 asks the same as from 11-10.
      const earlier = (await owner.json<TargetsResponse>('/api/metrics/targets?from=2026-11-01&to=2026-11-12')).body.items;
      expect(earlier.map((t) => t.progress)).toEqual(list.map((t) => t.progress));
      const shop = await get('metric=gmv&scope=shop');
      expect(shop.series.find((s) => s.key === '11')!.target).toBe(80);
      expect(shop.series.find((s) => s.key === '22')!.target).toBeUndefined();
      const team = await get('metric=gmv&scope=team');
      expect(team.series.map((s) => [s.currency, s.target])).toEqual([
        ['CNY', undefined],
        ['SGD', 80],
      ]);
      expect((await get('metric=units&scope=sku')).series.find((s) => s.key === 'CUP')!.target).toBe(5);
      expect((await agent.request('/api/metrics/targets?from=2026-11-10&to=2026-11-12')).status).toBe(403);
    });

    it('an alert line against the target: a SKU sold below its target 3 days running tells once per breach', async () => {
      const c = stack.app.container;
      const line = await owner.json<AlertLine>('/api/alerts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: '保温杯销量低于目标',
          metric: 'units',
          shopId: '11',
          sku: 'CUP',
          comparison: '<',
          threshold: 1,
          basis: 'target',
          windowDays: 3,
        }),
      });
      expect(line.status).toBe(201);
      expect(line.body).toMatchObject({ basis: 'target', sku: 'CUP', target: 5, text: '< 目标（5）（连续 3 天）' });
      const noTargets = await owner.request('/api/alerts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x', metric: 'refund_rate', shopId: '11', comparison: '<', threshold: 1, basis: 'target' }),
      });
      expect(noTargets.status).toBe(422);
      const onlyThis = async (day: string) => {
        // Only this line: the refund-rate line of the test above is on its own schedule.
        await c.ds.query('UPDATE metric_alerts SET enabled = 0 WHERE id <> ?', [line.body.id]);
        return c.metricAlerts.evaluate(day);
      };
      expect(await onlyThis('2026-11-12')).toBe(1); // 2, 2, 0 units on 11-10, 11, 12: below 5 on each day
      expect(await onlyThis('2026-11-12')).toBe(0); // told once
      expect(await onlyThis('2026-11-13')).toBe(0); // still breached
      await put(owner, { shopId: '11', sku: 'CUP', metric: 'units', daily: 1 });
      expect(await onlyThis('2026-11-13')).toBe(0); // 2 units on 11-11 is not below 1: recovered
      await put(owner, { shopId: '11', sku: 'CUP', metric: 'units', daily: 5 });
      expect(await onlyThis('2026-11-14')).toBe(1); // below again on 12, 13, 14: a new breach
      const told = await c.ds.getRepository(OutboxEvent).findBy({ type: 'metric.alert' });
      const mine = told.filter((e) => e.payload['alert_id'] === String(line.body.id));
      expect(mine.map((e) => e.payload['day'])).toEqual(['2026-11-12', '2026-11-14']);
      expect(mine[0]!.payload).toMatchObject({
        name: '保温杯销量低于目标',
        metric: '销量（件）',
        shop_id: '11',
        sku: 'CUP',
        value: '0',
        line: '< 目标（5）（连续 3 天）',
      });
    });

    it('are deleted by ops; a line against a deleted target is not crossed', async () => {
      const gone = await owner.request(`/api/metrics/targets/${skuTarget.id}`, { method: 'DELETE' });
      expect(gone.status).toBe(204);
      expect((await owner.request(`/api/metrics/targets/${skuTarget.id}`, { method: 'DELETE' })).status).toBe(404);
      const lines = (await owner.json<{ items: AlertLine[] }>('/api/alerts')).body.items;
      expect(lines.find((l) => l.basis === 'target')).toMatchObject({ target: null, text: '< 目标（未设目标）（连续 3 天）' });
    });
  });

  it('per SKU, the top series by their totals (ranked in SQL before the rows are read)', async () => {
    expect((await get('metric=gmv&scope=sku&limit=1')).series.map((s) => [s.key, s.currency, s.total])).toEqual([['PEN', 'CNY', 200]]);
    expect((await get('metric=gmv&scope=sku&limit=5')).series.map((s) => [s.key, s.currency, s.total])).toEqual([
      ['PEN', 'CNY', 200],
      ['CUP', 'SGD', 130],
    ]);
    expect((await get('metric=units&scope=sku&limit=1')).series.map((s) => [s.key, s.total])).toEqual([['CUP', 4]]);
  });

  it('per member, a 客服组长 sees their own team; the owner sees everyone', async () => {
    const c = stack.app.container;
    // B1 (shop 22) first claimed by 杨帆 of 运营部 an hour after it was created.
    await c.metricFacts.claimed(c.ds.manager, {
      id: 'x3',
      type: 'order.claimed',
      actor: U.opsStaff,
      requestId: null,
      occurredAt: sh('2026-11-10T13:00:00'),
      payload: { order_id: 'B1', assignee: U.opsStaff },
    });
    await c.metricRollup.dirty();
    const keys = (r: MetricsResponse) => r.series.map((s) => s.key).sort();
    expect(keys(await get('metric=claim_minutes&scope=member'))).toEqual([U.csAgent, U.opsStaff].sort());
    const lead = (await signIn(stack, U.csLead)).browser; // 王芳 leads 客服部 (and 售前组, 李娜's)
    const url = '/api/metrics?from=2026-11-10&to=2026-11-12&metric=claim_minutes&scope=member';
    expect(keys((await lead.json<MetricsResponse>(url)).body)).toEqual([U.csAgent]);
    const other = (await signIn(stack, U.csAftersaleLead)).browser; // 黄敏 leads 售后组 only
    expect(keys((await other.json<MetricsResponse>(url)).body)).toEqual([]);
    // Per shop the lead reads the shops their role covers, as before.
    expect((await lead.json<MetricsResponse>('/api/metrics?from=2026-11-10&to=2026-11-12&metric=orders&scope=shop')).body.series.length).toBeGreaterThan(0);
  });

  it('alert lines: managed only within one’s shops (a line over every shop needs every shop), read within one’s shops', async () => {
    const bound = await owner.json<{ id: number }>('/api/roles/bindings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'ops_manager', subjectType: 'user', subjectId: U.designer, shops: ['11'] }),
    });
    expect(bound.status).toBe(201);
    const scoped = (await signIn(stack, U.designer)).browser; // 郭宇 (美工): ops_manager in shop 11 only
    const line = (shopId: string | null) => ({
      name: `店 ${shopId ?? '全部'}`,
      metric: 'orders',
      shopId,
      comparison: '<',
      threshold: 1,
      windowDays: 1,
      enabled: true,
    });
    const send = (b: Browser, method: string, path: string, body?: unknown) =>
      b.json<{ id: number; error?: { code: string } }>(path, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await send(scoped, 'POST', '/api/alerts', line('22'))).status).toBe(403);
    expect((await send(scoped, 'POST', '/api/alerts', line(null))).status).toBe(403);
    const mine = await send(scoped, 'POST', '/api/alerts', line('11'));
    expect(mine.status).toBe(201);
    const theirs = await send(owner, 'POST', '/api/alerts', line('22'));
    expect((await send(scoped, 'PUT', `/api/alerts/${theirs.body.id}`, line('11'))).status).toBe(403);
    expect((await send(scoped, 'PUT', `/api/alerts/${mine.body.id}`, line('22'))).status).toBe(403);
    expect((await scoped.request(`/api/alerts/${theirs.body.id}`, { method: 'DELETE' })).status).toBe(403);
    const seen = (await scoped.json<{ items: Array<{ id: number; shopId: string | null }> }>('/api/alerts')).body.items;
    expect(seen.some((a) => a.shopId === '22')).toBe(false);
    expect(seen.some((a) => a.id === mine.body.id)).toBe(true);
    expect((await scoped.request(`/api/alerts/${mine.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await owner.request(`/api/alerts/${theirs.body.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('switching a breached line off and on keeps it breached (not told again); changing what it watches starts it over', async () => {
    const c = stack.app.container;
    const body = { name: '订单过少', metric: 'orders', shopId: '11', comparison: '<', threshold: 5, windowDays: 1, enabled: true };
    const made = await owner.json<{ id: number; state: string }>('/api/alerts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(await c.metricAlerts.evaluate('2026-11-10')).toBeGreaterThanOrEqual(1);
    const put = (b: unknown) =>
      owner.json<{ state: string }>(`/api/alerts/${made.body.id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    expect((await put({ ...body, enabled: false })).body.state).toBe('breached');
    expect((await put({ ...body, enabled: true, name: '订单太少' })).body.state).toBe('breached');
    expect((await put({ ...body, threshold: 6 })).body.state).toBe('ok');
    await owner.request(`/api/alerts/${made.body.id}`, { method: 'DELETE' });
  });
});
