import { IsNull, type EntityManager } from 'typeorm';
import type { DomainEvent, Subscriber } from '../../platform/events';
import { dayIn } from './days';
import { MetricDirty, MetricOrder, MetricRefund } from './metric.entity';

/** Shopee statuses from which an order has left the seller (handed to the carrier or beyond). */
const SHIPPED = new Set(['SHIPPED', 'TO_CONFIRM_RECEIVE', 'COMPLETED', 'TO_RETURN']);

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/**
 * The module's facts, from other modules' events only (never their tables): each event is handled once (subscribers
 * are), an order's fact moves only to a newer update_time, and every change marks the (day, shop) it touches for the
 * next rollup.
 */
export class FactRecorder {
  constructor(private readonly timeZone: string) {}

  subscribers(): Subscriber[] {
    return [
      { key: 'metrics.order-synced', on: ['order.synced'], handle: (e, tx) => this.orderSynced(tx.manager, e) },
      { key: 'metrics.order-claimed', on: ['order.claimed', 'order.assigned'], handle: (e, tx) => this.claimed(tx.manager, e) },
      { key: 'metrics.return-refunded', on: ['return.refunded'], handle: (e, tx) => this.refunded(tx.manager, e) },
    ];
  }

  async orderSynced(m: EntityManager, e: DomainEvent): Promise<void> {
    const p = e.payload;
    const orderSn = String(p['order_id']);
    const before = await m.findOneBy(MetricOrder, { orderSn });
    const updateTime = num(p['update_time']);
    if (before && before.updateTime > updateTime) return;
    const status = String(p['status']);
    const shippedAt = before?.shippedAt ?? (SHIPPED.has(status) ? updateTime : null);
    const fact: MetricOrder = {
      orderSn,
      shopId: String(p['shop_id']),
      currency: String(p['currency']),
      total: num(p['total']),
      status,
      createdAt: num(p['create_time']),
      updateTime,
      shipBy: p['ship_by'] === undefined ? null : num(p['ship_by']),
      shippedAt,
      claimedAt: before?.claimedAt ?? null,
      claimedBy: before?.claimedBy ?? null,
      items: parseItems(p['items']),
    };
    await m.save(MetricOrder, fact);
    await this.dirty(m, fact.shopId, fact.createdAt);
    if (shippedAt !== null) await this.dirty(m, fact.shopId, shippedAt);
    // A cancellation changes the created day's figures; so does a shipment the day it happened (marked above).
  }

  async claimed(m: EntityManager, e: DomainEvent): Promise<void> {
    const orderSn = String(e.payload['order_id']);
    const assignee = str(e.payload['assignee']);
    const fact = await m.findOneBy(MetricOrder, { orderSn });
    if (!fact || !assignee || fact.claimedAt !== null) return; // the first claim counts; transfers do not re-time it
    await m.update(MetricOrder, { orderSn, claimedAt: IsNull() }, { claimedAt: e.occurredAt, claimedBy: assignee });
    await this.dirty(m, fact.shopId, e.occurredAt);
  }

  async refunded(m: EntityManager, e: DomainEvent): Promise<void> {
    const p = e.payload;
    const shopId = String(p['shop_id']);
    const refundedAt = num(p['at']);
    await m
      .createQueryBuilder()
      .insert()
      .into(MetricRefund)
      .values({ caseId: String(p['case_id']), shopId, orderSn: String(p['order_id']), currency: String(p['currency']), amount: num(p['amount']), refundedAt })
      .orIgnore()
      .updateEntity(false)
      .execute();
    await this.dirty(m, shopId, refundedAt);
  }

  private dirty(m: EntityManager, shopId: string, at: number): Promise<void> {
    return markDirty(m, this.timeZone, shopId, at);
  }
}

/** Marks the (day in TZ_CORP, shop) of an instant for the next rollup. */
export async function markDirty(m: EntityManager, timeZone: string, shopId: string, at: number): Promise<void> {
  await m
    .createQueryBuilder()
    .insert()
    .into(MetricDirty)
    .values({ day: dayIn(timeZone, at), shopId, markedAt: Date.now() })
    .orIgnore()
    .updateEntity(false)
    .execute();
}

function parseItems(raw: unknown): MetricOrder['items'] {
  try {
    const list = JSON.parse(String(raw)) as unknown;
    if (!Array.isArray(list)) return [];
    return list.map((i: Record<string, unknown>) => ({
      sku: str(i['sku']) ?? '',
      name: str(i['name']) ?? '',
      qty: num(i['qty']) || 0,
      amount: num(i['amount']) || 0,
    }));
  } catch {
    return [];
  }
}
