/**
 * The demo's six weeks of history (scripts/demo-seed.ts `demoHistoryFacts`), whatever day the demo starts on: 42 days
 * of facts, all before today and all marked demo (`DEMO-`), with the week's rhythm; and on the day before the start,
 * counted as the rollup counts, exactly one early warning (退款订单数, against the same weekday of the weeks before:
 * orders, GMV and refund amount stay within their pattern) and a refund rate over the demo's 15 % alert line.
 */
import { demoHistoryFacts, type DemoHistoryFacts } from '../../scripts/demo-seed';
import { addDays, dayBounds, dayIn } from '../../server/src/modules/metrics/days';
import { anomaly } from '../../server/src/modules/metrics/warnings';

const TZ = 'Asia/Shanghai';

function history(today: string): { facts: DemoHistoryFacts; yesterday: string; todayStart: number; days: string[] } {
  const days = Array.from({ length: 42 }, (_, i) => addDays(today, i - 42));
  const yesterday = addDays(today, -1);
  const [todayStart] = dayBounds(TZ, today);
  return { facts: demoHistoryFacts({ shopId: '1', timeZone: TZ, days, yesterday, todayStart }), yesterday, todayStart, days };
}

/** The day's figures as the rollup counts them (metrics/rollup.ts). */
function daily(facts: DemoHistoryFacts) {
  const at = new Map<string, { orders: number; gmv: number; refunded: Set<string>; refundAmount: number; shipped: number; units: Map<string, number> }>();
  const day = (t: number) => {
    const d = dayIn(TZ, t);
    if (!at.has(d)) at.set(d, { orders: 0, gmv: 0, refunded: new Set(), refundAmount: 0, shipped: 0, units: new Map() });
    return at.get(d)!;
  };
  for (const o of facts.orders) {
    if (o.shippedAt !== null) day(o.shippedAt).shipped++;
    if (o.status === 'CANCELLED' && o.shippedAt === null) continue;
    const d = day(o.createdAt);
    d.orders++;
    d.gmv += o.total;
    for (const i of o.items) d.units.set(i.sku, (d.units.get(i.sku) ?? 0) + i.qty);
  }
  for (const r of facts.refunds) {
    const d = day(r.refundedAt);
    d.refunded.add(r.orderSn);
    d.refundAmount += r.amount;
  }
  return at;
}

describe('the demo history', () => {
  // Two weeks of start days: every weekday twice.
  const starts = Array.from({ length: 14 }, (_, i) => addDays('2026-12-02', i));

  it.each(starts)('started on %s: 42 days of demo facts before today, with the week’s rhythm', (today) => {
    const { facts, todayStart, days } = history(today);
    const ids = [
      ...facts.orders.map((o) => o.orderSn),
      ...facts.refunds.map((r) => r.caseId),
      ...facts.cases.map((c) => c.caseId),
      ...facts.marks.map((m) => m.id),
    ];
    expect(ids.every((id) => id.startsWith('DEMO-'))).toBe(true);
    expect(new Set(ids.filter((id) => id.startsWith('DEMO-2'))).size).toBe(facts.orders.length);
    const times = [
      ...facts.orders.flatMap((o) => [o.createdAt, o.shippedAt ?? 0, o.claimedAt ?? 0]),
      ...facts.refunds.map((r) => r.refundedAt),
      ...facts.cases.flatMap((c) => [c.openedAt, c.respondedAt ?? 0, c.resolvedAt ?? 0]),
      ...facts.marks.map((m) => m.at),
    ];
    expect(Math.max(...times)).toBeLessThan(todayStart);
    const figures = daily(facts);
    expect(days.every((d) => (figures.get(d)?.orders ?? 0) > 15)).toBe(true);
    const mean = (weekday: number) => {
      const list = days.filter((d) => (new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7 === weekday).map((d) => figures.get(d)!.orders);
      return list.reduce((a, b) => a + b, 0) / list.length;
    };
    expect(mean(5)).toBeGreaterThan(mean(1)); // Saturdays sell more than Tuesdays
    expect(facts.cases.some((c) => c.resolvedAt !== null) && facts.marks.some((m) => m.kind === 'sla_breach')).toBe(true);
  });

  it.each(starts)('started on %s: yesterday’s refunds surge — one early warning, and the 15 %% refund-rate line is crossed', (today) => {
    const { facts, yesterday } = history(today);
    const figures = daily(facts);
    const y = figures.get(yesterday)!;
    const sameWeekday = [1, 2, 3, 4, 5, 6, 7, 8].map((w) => addDays(yesterday, -7 * w)).filter((d) => figures.has(d));
    const flagged = (value: (f: NonNullable<ReturnType<typeof figures.get>>) => number) =>
      anomaly(
        value(y),
        sameWeekday.map((d) => value(figures.get(d)!)),
      ).flagged;
    expect({
      orders: flagged((f) => f.orders),
      gmv: flagged((f) => Math.round(f.gmv * 100) / 100),
      refunded_orders: flagged((f) => f.refunded.size),
      refund_amount: flagged((f) => Math.round(f.refundAmount * 100) / 100),
    }).toEqual({ orders: false, gmv: false, refunded_orders: true, refund_amount: false });
    expect(y.refunded.size / y.shipped).toBeGreaterThan(0.15);
    // The flask's line (below 60 % of its 10 a day, 3 days running) stays quiet: one of the last three days sold 6 or more.
    expect([0, 1, 2].map((n) => figures.get(addDays(yesterday, -n))!.units.get('FLASK-500') ?? 0).some((u) => u >= 6)).toBe(true);
  });
});
