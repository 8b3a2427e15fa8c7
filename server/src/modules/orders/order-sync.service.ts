import { ORDER_STATUS_ZH } from '@shopcrew/shared';
import type { Logger } from '../../lib/logger';
import type { MarketOrder } from '../../marketplace/types';
import type { Tx, UnitOfWork } from '../../platform/tx';
import type { ShopService } from '../shops/shop.service';
import { Order, OrderItem, OrderTimelineEntry } from './order.entity';
import { isClaimable, orderStatus, PROGRESS } from './order-status';
import { formatMoney, orderUrl } from './order-view';
import type { Assigner } from './assigner';

export type SyncOutcome = 'created' | 'updated' | 'stale' | 'refused';

/**
 * Applies what the marketplace reports about an order. Pushes repeat and arrive out of order, and the reconciliation
 * sweep reads the same orders again, so a fetched state replaces the stored one only when its update_time is newer
 * (a compare-and-set on market_updated_at) and the status move is one the lifecycle allows. Each change lands with its
 * timeline entry and events in one unit of work.
 */
export class OrderSync {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly shops: ShopService,
    private readonly assigner: Assigner,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async apply(m: MarketOrder): Promise<SyncOutcome> {
    return this.uow.run({ actor: 'shopee' }, async (tx) => {
      const existing = await tx.manager.findOneBy(Order, { orderSn: m.orderSn });
      return existing ? this.update(tx, existing, m) : this.insert(tx, m);
    });
  }

  private async insert(tx: Tx, m: MarketOrder): Promise<SyncOutcome> {
    const now = this.now();
    const row: Omit<Order, 'id'> = {
      orderSn: m.orderSn,
      tags: [],
      shopId: m.shopId,
      status: m.status,
      pool: isClaimable(m.status) ? 1 : 0,
      currency: m.currency,
      total: String(m.total),
      buyer: m.buyer,
      itemCount: m.items.reduce((n, i) => n + i.quantity, 0),
      messageToSeller: m.messageToSeller,
      ...packageOf(m),
      trackingNumber: m.trackingNumber,
      shipBy: m.shipBy,
      createdAt: m.createTime,
      marketUpdatedAt: m.updateTime,
      assignee: null,
      claimedAt: null,
      announced: 0,
      updatedAt: now,
    };
    // A concurrent first apply of the same order (a push and the sweep at once) fails on the unique order_sn and rolls
    // back whole; the inbox retries it (then as an update), and the sweep meets the order again next round.
    await tx.manager.insert(Order, row);
    const order = await tx.manager.findOneByOrFail(Order, { orderSn: m.orderSn });
    await tx.manager.insert(
      OrderItem,
      m.items.map((i) => ({
        orderId: order.id,
        itemId: i.itemId,
        name: i.name.slice(0, 255),
        sku: i.sku,
        variation: i.variation,
        quantity: i.quantity,
        price: String(i.price),
      })),
    );
    await this.timeline(tx, order.id, 'created', null, `订单创建（${ORDER_STATUS_ZH[m.status]}）`, null, m.status, m.createTime);
    await this.announce(tx, order, m);
    await this.synced(tx, m);
    return 'created';
  }

  private async update(tx: Tx, order: Order, m: MarketOrder): Promise<SyncOutcome> {
    const tie = m.updateTime === order.marketUpdatedAt;
    if (m.updateTime < order.marketUpdatedAt || (tie && PROGRESS[m.status] <= PROGRESS[order.status])) return 'stale';
    if (!orderStatus.can(order.status, m.status)) {
      this.logger.warn({ orderSn: m.orderSn, from: order.status, to: m.status }, 'order status move refused by the lifecycle');
      return 'refused';
    }
    const statusChanged = order.status !== m.status;
    const pool = isClaimable(m.status) && !order.assignee ? 1 : 0;
    const changes: Partial<Order> = {
      status: m.status,
      pool,
      total: String(m.total),
      currency: m.currency,
      buyer: m.buyer,
      messageToSeller: m.messageToSeller,
      ...packageOf(m),
      shipBy: m.shipBy,
      marketUpdatedAt: m.updateTime,
      updatedAt: this.now(),
      ...(m.trackingNumber ? { trackingNumber: m.trackingNumber } : {}),
    };
    const cas = await tx.manager
      .createQueryBuilder()
      .update(Order)
      .set(changes)
      .where('id = :id AND market_updated_at <= :t AND status = :was', { id: order.id, t: m.updateTime, was: order.status })
      .execute();
    if (!cas.affected) return 'stale';
    const after = { ...order, ...changes };
    if (statusChanged) {
      await this.timeline(
        tx,
        order.id,
        'status',
        null,
        `状态 ${ORDER_STATUS_ZH[order.status]} → ${ORDER_STATUS_ZH[m.status]}`,
        order.status,
        m.status,
        m.updateTime,
      );
      await tx.publish('order.status_changed', {
        order_id: order.orderSn,
        shop_id: order.shopId,
        from: order.status,
        to: m.status,
        ...(order.assignee ? { assignee: order.assignee } : {}),
        url: orderUrl(order.orderSn),
      });
    }
    if (m.trackingNumber && m.trackingNumber !== order.trackingNumber) await this.tracked(tx, after, m.trackingNumber);
    await this.announce(tx, after, m);
    await this.synced(tx, m);
    return 'updated';
  }

  /** order.synced: the order's figures as they are now (the metrics module keeps its own facts from these). */
  private async synced(tx: Tx, m: MarketOrder): Promise<void> {
    await tx.publish('order.synced', {
      order_id: m.orderSn,
      shop_id: m.shopId,
      status: m.status,
      currency: m.currency,
      total: m.total,
      create_time: m.createTime,
      update_time: m.updateTime,
      ...(m.shipBy ? { ship_by: m.shipBy } : {}),
      items: JSON.stringify(
        m.items.map((i) => ({ sku: i.sku ?? i.itemId, name: i.name.slice(0, 60), qty: i.quantity, amount: Math.round(i.price * i.quantity * 100) / 100 })),
      ),
    });
  }

  /** A tracking number became known (push code 4, the poll after ship_order, or a sweep). */
  async tracked(tx: Tx, order: Order, tracking: string): Promise<void> {
    await tx.manager.update(Order, { id: order.id }, { trackingNumber: tracking, updatedAt: this.now() });
    await this.timeline(tx, order.id, 'tracking', null, `运单号 ${tracking}`, null, tracking, this.now());
    await tx.publish('order.shipped', {
      order_id: order.orderSn,
      shop_id: order.shopId,
      tracking,
      logistics: order.carrier ?? '—',
      delivery_date: '—',
      ...(order.assignee ? { assignee: order.assignee } : {}),
      url: orderUrl(order.orderSn),
    });
  }

  /** Once an order waits to be shipped and nobody holds it: round-robin gives it to someone, else the 新订单 card goes out. */
  private async announce(tx: Tx, order: Order, m: MarketOrder): Promise<void> {
    if (order.announced || order.assignee || !isClaimable(order.status)) return;
    const marked = await tx.manager.createQueryBuilder().update(Order).set({ announced: 1 }).where('id = :id AND announced = 0', { id: order.id }).execute();
    if (!marked.affected) return;
    const shop = await this.shops.get(order.shopId).catch(() => null);
    if (shop?.assignmentMode === 'round_robin' && (await this.assigner.autoAssign(tx, order, shop.assignmentCap))) return;
    await tx.publish('order.created', {
      order_id: order.orderSn,
      shop_id: order.shopId,
      shop_name: shop?.name ?? order.shopId,
      customer: m.buyer ?? '—',
      items:
        m.items
          .map((i) => `${i.name} ×${i.quantity}`)
          .join('，')
          .slice(0, 500) || '—',
      qty: m.items.reduce((n, i) => n + i.quantity, 0),
      amount: formatMoney(String(m.total), m.currency),
      total: Number(m.total),
      currency: m.currency,
      ship_time: m.shipBy ?? m.createTime,
      status: order.status,
      ...(order.assignee ? { assignee: order.assignee } : {}),
      url: orderUrl(order.orderSn),
    });
  }

  async timeline(
    tx: Tx,
    orderId: number,
    kind: OrderTimelineEntry['kind'],
    actor: string | null,
    text: string,
    from: string | null,
    to: string | null,
    at = this.now(),
  ): Promise<void> {
    await tx.manager.insert(OrderTimelineEntry, { orderId, at, kind, actor, text: text.slice(0, 255), from, to });
  }
}

function packageOf(m: MarketOrder): Pick<Order, 'packageNumber' | 'logisticsStatus' | 'carrier'> {
  const p = m.packages[0];
  return { packageNumber: p?.packageNumber ?? null, logisticsStatus: p?.logisticsStatus ?? null, carrier: p?.carrier ?? null };
}
