/**
 * The demo's six weeks of history on every database of the matrix (scripts/demo-seed.ts `seedDemoHistory`, as `npm
 * start` runs it for the linked demo shop): 42 days rolled up, one alert line fired (told once), one early warning,
 * the targets set — and a second start on the same data adds nothing: no fact, rollup row, target, line, event or
 * audit entry twice. The orders module's own tables never see the demo's facts.
 */
import { seedDemoHistory } from '../../scripts/demo-seed';
import { addDays } from '../../server/src/modules/metrics/days';
import { testDatabases } from '../support/databases';
import { startStack, type Stack } from '../support/stack';

const NOW = Date.parse('2026-11-25T10:00:00+08:00'); // a Wednesday; yesterday is 11-24

describe.each(testDatabases())('the demo history ($label)', ({ kind }) => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ db: kind, shopee: true, env: { TZ_CORP: 'Asia/Shanghai' } });
  }, 60_000);
  afterAll(() => stack?.close());

  const counts = async () => {
    const n = async (sql: string) => Number((await stack.app.container.ds.query(sql))[0].n);
    return {
      orders: await n("SELECT COUNT(*) AS n FROM metric_orders WHERE order_sn LIKE 'DEMO-%'"),
      refunds: await n('SELECT COUNT(*) AS n FROM metric_refunds'),
      cases: await n('SELECT COUNT(*) AS n FROM metric_cases'),
      marks: await n('SELECT COUNT(*) AS n FROM metric_marks'),
      daily: await n('SELECT COUNT(*) AS n FROM metric_daily'),
      targets: await n('SELECT COUNT(*) AS n FROM metric_targets'),
      lines: await n('SELECT COUNT(*) AS n FROM metric_alerts'),
      warnings: await n('SELECT COUNT(*) AS n FROM metric_warnings'),
      told: await n("SELECT COUNT(*) AS n FROM outbox_events WHERE type IN ('metric.alert', 'metric.warning')"),
      audit: await n("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'metrics.%'"),
      realOrders: await n('SELECT COUNT(*) AS n FROM orders'),
    };
  };

  it('seeds 42 days of figures, one alert fired and one early warning, once', async () => {
    const c = stack.app.container;
    const seed = () => seedDemoHistory({ c, shopId: stack.shopId!, timeZone: 'Asia/Shanghai', now: NOW });
    await seed();
    const first = await counts();
    expect(first).toMatchObject({ targets: 2, lines: 2, warnings: 1, told: 2, realOrders: 0 });
    expect(first.orders).toBeGreaterThan(42 * 20);
    expect(first.refunds).toBeGreaterThan(20);

    const orders = await c.metricQuery.compute(
      { metric: 'orders', scope: 'shop', shop: stack.shopId, from: addDays('2026-11-25', -42), to: '2026-11-25', granularity: 'day', limit: 5 },
      'all',
    );
    const days = orders.series[0]!.points.map((p) => p.day);
    expect(days).toHaveLength(42);
    expect([days[0], days[41]]).toEqual(['2026-10-14', '2026-11-24']);

    const lines = await c.metricAlerts.list();
    expect(lines.map((l) => [l.name, l.state, l.since])).toEqual([
      ['保温杯销量低于目标', 'ok', null],
      ['退款率预警线', 'breached', '2026-11-24'],
    ]);
    const [warning] = await c.earlyWarnings.list('2026-11-24', '2026-11-24');
    expect(warning).toMatchObject({ shopId: stack.shopId, metric: 'refunded_orders' });
    expect(warning!.reason).toMatch(/^退款订单数 7，近 5 周同日均值 1(\.\d)?$/); // five same weekdays since the history began

    await seed(); // a second `npm start` on the same data
    expect(await counts()).toEqual(first);
  });
});
