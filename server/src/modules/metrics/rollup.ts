import { Between, type DataSource, type EntityManager } from 'typeorm';
import type { Logger } from '../../lib/logger';
import type { UnitOfWork } from '../../platform/tx';
import { dayBounds } from './days';
import { MetricCase, MetricDaily, MetricDirty, MetricMark, MetricOrder, MetricRefund } from './metric.entity';

type Row = Omit<MetricDaily, 'day' | 'shopId'>;

/** Adds values into rows keyed by scope, key, measure and currency. */
class Sums {
  readonly rows = new Map<string, Row>();
  add(scope: Row['scope'], scopeKey: string, measure: string, currency: string, value: number): void {
    const k = `${scope}\u0000${scopeKey}\u0000${measure}\u0000${currency}`;
    const row = this.rows.get(k);
    if (row) row.value += value;
    else this.rows.set(k, { scope, scopeKey, measure, currency, value });
  }
}

/** The measure each kind of mark counts in. */
const MARK_MEASURE = { sla_breach: 'sla_breaches', checklist_done: 'checklists_completed', checklist_overdue: 'checklist_overdue' } as const;

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * The daily rollup of one shop's day (TZ_CORP), from this module's facts, rewritten whole in one unit, so running a day
 * again gives the same rows (idempotent) and a day is never seen half-written. What each measure counts:
 * - gmv, orders, units, sku gmv: orders created that day, without those cancelled before shipping;
 * - shipped_orders, on_time_orders: orders that left the seller that day (on time: by their ship-by time);
 * - claimed_orders, claim_minutes: orders first claimed that day (minutes from creation), per shop and per member;
 * - refund_amount, refunded_orders: refunds that went through that day (a refund belongs to its own day);
 * - cases_opened: after-sales cases opened that day;
 * - responded_cases, response_minutes: cases first handled that day (minutes from opening), per shop and per member who
 *   handled it; resolved_cases, resolution_minutes: cases resolved that day, per shop and per assignee;
 * - sla_breaches: deadlines breached that day, per shop and per assignee; checklists_completed, checklist_overdue:
 *   the shop's checklists completed and steps overdue that day (overdue steps also per member).
 */
export class Rollup {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly timeZone: string,
    private readonly logger: Logger,
  ) {}

  async day(day: string, shopId: string): Promise<number> {
    return this.uow.run({ actor: 'system', requestId: `metrics.rollup:${day}:${shopId}` }, async (tx) => {
      // The mark goes first, in this unit: a fact written meanwhile marks the day again and is rolled next time.
      await tx.manager.delete(MetricDirty, { day, shopId });
      const rows = await this.compute(tx.manager, day, shopId);
      await tx.manager.delete(MetricDaily, { day, shopId });
      const values = rows.map((r) => ({ ...r, day, shopId, value: round2(r.value) }));
      for (let i = 0; i < values.length; i += 500) await tx.manager.insert(MetricDaily, values.slice(i, i + 500));
      return values.length;
    });
  }

  /** Every (day, shop) marked since its last rollup, up to `max` of them. */
  async dirty(max = 200): Promise<number> {
    const marks = await this.ds.getRepository(MetricDirty).find({ order: { day: 'ASC' }, take: max });
    for (const m of marks) {
      await this.day(m.day, m.shopId).catch((err: unknown) =>
        this.logger.warn({ err, day: m.day, shopId: m.shopId }, 'metrics rollup failed; retried next round'),
      );
    }
    return marks.length;
  }

  private async compute(m: EntityManager, day: string, shopId: string): Promise<Row[]> {
    const [start, end] = dayBounds(this.timeZone, day);
    const within = Between(start, end - 1);
    const sums = new Sums();
    for (const o of await m.findBy(MetricOrder, { shopId, createdAt: within })) {
      if (o.status === 'CANCELLED' && o.shippedAt === null) continue;
      sums.add('shop', shopId, 'gmv', o.currency, o.total);
      sums.add('shop', shopId, 'orders', o.currency, 1);
      for (const i of o.items) {
        sums.add('sku', i.sku, 'units', '', i.qty);
        sums.add('sku', i.sku, 'gmv', o.currency, i.amount);
      }
    }
    // Only the columns in idx_metric_orders_shipped / _claimed, so neither read touches the table's rows.
    for (const o of await m.find(MetricOrder, { select: { orderSn: true, shippedAt: true, shipBy: true }, where: { shopId, shippedAt: within } })) {
      sums.add('shop', shopId, 'shipped_orders', '', 1);
      if (o.shipBy === null || o.shippedAt! <= o.shipBy) sums.add('shop', shopId, 'on_time_orders', '', 1);
    }
    for (const o of await m.find(MetricOrder, {
      select: { orderSn: true, claimedAt: true, createdAt: true, claimedBy: true },
      where: { shopId, claimedAt: within },
    })) {
      const minutes = Math.max(0, (o.claimedAt! - o.createdAt) / 60_000);
      for (const [scope, key] of [
        ['shop', shopId],
        ['member', o.claimedBy ?? '—'],
      ] as const) {
        sums.add(scope, key, 'claimed_orders', '', 1);
        sums.add(scope, key, 'claim_minutes', '', minutes);
      }
    }
    const refunded = new Set<string>();
    for (const r of await m.findBy(MetricRefund, { shopId, refundedAt: within })) {
      sums.add('shop', shopId, 'refund_amount', r.currency, r.amount);
      if (!refunded.has(r.orderSn)) sums.add('shop', shopId, 'refunded_orders', '', 1);
      refunded.add(r.orderSn);
    }
    const opened = await m.countBy(MetricCase, { shopId, openedAt: within });
    if (opened) sums.add('shop', shopId, 'cases_opened', '', opened);
    for (const c of await m.findBy(MetricCase, { shopId, respondedAt: within })) {
      const minutes = Math.max(0, (c.respondedAt! - c.openedAt) / 60_000);
      for (const [scope, key] of [
        ['shop', shopId],
        ['member', c.respondedBy ?? '—'],
      ] as const) {
        sums.add(scope, key, 'responded_cases', '', 1);
        sums.add(scope, key, 'response_minutes', '', minutes);
      }
    }
    for (const c of await m.findBy(MetricCase, { shopId, resolvedAt: within })) {
      const minutes = Math.max(0, (c.resolvedAt! - c.openedAt) / 60_000);
      for (const [scope, key] of [
        ['shop', shopId],
        ['member', c.resolvedBy ?? '—'],
      ] as const) {
        sums.add(scope, key, 'resolved_cases', '', 1);
        sums.add(scope, key, 'resolution_minutes', '', minutes);
      }
    }
    for (const k of await m.findBy(MetricMark, { shopId, at: within })) {
      const measure = MARK_MEASURE[k.kind];
      sums.add('shop', shopId, measure, '', 1);
      if (k.kind !== 'checklist_done') sums.add('member', k.member ?? '—', measure, '', 1);
    }
    return [...sums.rows.values()];
  }
}
