import { In, type DataSource } from 'typeorm';
import { can, shopsWith, type Actor, type OrderDetail, type OrderListResponse, type OrderView, type ShipInput, type ShippingOptions } from '@shopcrew/shared';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import { MarketplaceError, ShopNeedsReauthorization, type ShipRequest } from '../../marketplace/types';
import type { UnitOfWork } from '../../platform/tx';
import type { SchedulerTimers } from '../../platform/scheduler/timers';
import type { ShopService } from '../shops/shop.service';
import type { Assigner } from './assigner';
import { Order, OrderDuty, OrderItem, OrderTimelineEntry } from './order.entity';
import { CLAIMABLE, SHIPPABLE } from './order-status';
import { toDetail, toSummary, type ViewContext } from './order-view';
import type { OrderSync } from './order-sync.service';

export const TRACKING_TIMER = 'orders.tracking';
const TRACKING_TRIES = 300;

export interface ListQuery {
  shop?: string;
  status?: string;
  view: OrderView;
  q?: string;
  cursor?: string;
  limit: number;
}

/**
 * The team's work on orders: the inbox views (keyset-paginated, newest first, within the shops the member's roles
 * cover), the order page, claim / release / assign, and shipping through the marketplace.
 */
export class OrderService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly shops: ShopService,
    private readonly assigner: Assigner,
    private readonly sync: OrderSync,
    private readonly namesOf: (userids: readonly string[]) => Promise<Map<string, string>>,
    private readonly trackingPoll: Pick<SchedulerTimers, 'at'>,
  ) {}

  /**
   * The tracking-number poll after ship_order (get_tracking_number is empty until the carrier assigns one): 2 s, then
   * doubling up to 5 minutes between looks, for about a day; push code 4 usually answers first.
   */
  async onTrackingTimer(orderSn: string, p: { shopId: string; attempt: number }): Promise<void> {
    if (await this.pollTracking(p.shopId, orderSn)) return;
    if (p.attempt >= TRACKING_TRIES) return;
    const wait = Math.min(300_000, 2_000 * 2 ** p.attempt);
    await this.trackingPoll.at(`${TRACKING_TIMER}:${orderSn}`, Date.now() + wait, { shopId: p.shopId, attempt: p.attempt + 1 });
  }

  async list(actor: Actor, q: ListQuery): Promise<OrderListResponse> {
    const scope = shopsWith(actor, 'orders:read');
    if (q.shop && !can(actor, 'orders:read', { shopId: q.shop })) throw new ForbiddenError('无权查看该店铺的订单 (no access to this shop)');
    if (scope !== 'all' && !scope.length) return { items: [], nextCursor: null };
    const qb = this.ds.getRepository(Order).createQueryBuilder('o');
    if (q.view === 'unclaimed') qb.where('o.pool = 1');
    else if (q.view === 'mine') qb.where('o.assignee = :me', { me: actor.userid });
    else qb.where('1 = 1');
    if (q.shop) qb.andWhere('o.shop_id = :shop', { shop: q.shop });
    else if (scope !== 'all') qb.andWhere('o.shop_id IN (:...scope)', { scope });
    if (q.status) qb.andWhere('o.status = :status', { status: q.status });
    if (q.q) qb.andWhere('o.order_sn LIKE :sn', { sn: `${q.q.replace(/[%_\\]/g, '')}%` });
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor);
      qb.andWhere('(o.created_at < :at OR (o.created_at = :at AND o.id < :id))', { at, id });
    }
    const rows = await qb
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .limit(q.limit + 1)
      .getMany();
    const page = rows.slice(0, q.limit);
    const v = await this.viewContext(page, actor);
    const items = page.map((o) => toSummary(o, { ...v, details: can(actor, 'orders:details', { shopId: o.shopId }) }));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null };
  }

  async detail(actor: Actor, orderSn: string): Promise<OrderDetail> {
    const order = await this.readable(actor, orderSn);
    const [items, timeline] = await Promise.all([
      this.ds.getRepository(OrderItem).find({ where: { orderId: order.id }, order: { id: 'ASC' } }),
      this.ds.getRepository(OrderTimelineEntry).find({ where: { orderId: order.id }, order: { id: 'DESC' } }),
    ]);
    const v = await this.viewContext([order], actor, timeline.map((t) => t.actor ?? '').filter(Boolean));
    const shopId = order.shopId;
    const lead = can(actor, 'orders:assign', { shopId });
    return toDetail(
      order,
      items,
      timeline,
      { ...v, details: can(actor, 'orders:details', { shopId }) },
      {
        claim: !order.assignee && CLAIMABLE.includes(order.status) && can(actor, 'orders:claim', { shopId }),
        release: Boolean(order.assignee) && CLAIMABLE.includes(order.status) && (order.assignee === actor.userid || lead),
        assign: lead && CLAIMABLE.concat(['PROCESSED']).includes(order.status),
        ship: SHIPPABLE.includes(order.status) && (order.assignee === actor.userid || lead),
      },
    );
  }

  async claim(actor: Actor, orderSn: string, requestId?: string): Promise<OrderDetail> {
    const order = await this.readable(actor, orderSn);
    if (!can(actor, 'orders:claim', { shopId: order.shopId })) throw new ForbiddenError('无权认领该店铺的订单 (you may not claim orders of this shop)');
    await this.uow.run({ actor: actor.userid, requestId }, (tx) => this.assigner.claim(tx, order, actor.userid));
    return this.detail(actor, orderSn);
  }

  async release(actor: Actor, orderSn: string, requestId?: string): Promise<OrderDetail> {
    const order = await this.readable(actor, orderSn);
    if (order.assignee !== actor.userid && !can(actor, 'orders:assign', { shopId: order.shopId }))
      throw new ForbiddenError('只能释放自己认领的订单 (only the holder or a lead may release)');
    if (!CLAIMABLE.includes(order.status))
      throw new AppError(409, 'not_releasable', '订单已安排发货，不能再释放 (only orders waiting to ship can be released)');
    await this.uow.run({ actor: actor.userid, requestId }, (tx) => this.assigner.release(tx, order, actor.userid));
    return this.detail(actor, orderSn);
  }

  async assign(actor: Actor, orderSn: string, userid: string, requestId?: string): Promise<OrderDetail> {
    const order = await this.readable(actor, orderSn);
    if (!can(actor, 'orders:assign', { shopId: order.shopId })) throw new ForbiddenError('无权分配该店铺的订单 (you may not assign orders of this shop)');
    await this.uow.run({ actor: actor.userid, requestId }, (tx) => this.assigner.assign(tx, order, userid, actor.userid));
    return this.detail(actor, orderSn);
  }

  /** Which of `userids` are on duty (在岗): round-robin, for orders and for after-sales cases, gives work only to them. */
  async onDutyAmong(userids: readonly string[]): Promise<string[]> {
    if (!userids.length) return [];
    return (await this.ds.getRepository(OrderDuty).findBy({ userid: In([...userids]), onDuty: true })).map((d) => d.userid);
  }

  /** Members a lead may give this order to, with whether they are on duty and how many open orders they hold. */
  async assignees(actor: Actor, orderSn: string, eligible: (shopId: string) => Promise<string[]>) {
    const order = await this.readable(actor, orderSn);
    if (!can(actor, 'orders:assign', { shopId: order.shopId })) throw new ForbiddenError('无权分配该店铺的订单 (you may not assign orders of this shop)');
    const who = await eligible(order.shopId);
    if (!who.length) return { members: [] };
    const [names, duty, loads] = await Promise.all([
      this.namesOf(who),
      this.ds.getRepository(OrderDuty).findBy({ userid: In(who) }),
      this.ds
        .getRepository(Order)
        .createQueryBuilder('o')
        .select('o.assignee', 'assignee')
        .addSelect('COUNT(*)', 'open')
        .where('o.assignee IN (:...who) AND o.status IN (:...open)', { who, open: [...CLAIMABLE, 'PROCESSED'] })
        .groupBy('o.assignee')
        .getRawMany<{ assignee: string; open: string | number }>(),
    ]);
    const onDuty = new Set(duty.filter((d) => d.onDuty).map((d) => d.userid));
    const open = new Map(loads.map((l) => [l.assignee, Number(l.open)]));
    return { members: who.map((u) => ({ userid: u, name: names.get(u) ?? u, onDuty: onDuty.has(u), openOrders: open.get(u) ?? 0 })) };
  }

  async shippingOptions(actor: Actor, orderSn: string): Promise<ShippingOptions> {
    const order = await this.shippable(actor, orderSn);
    const p = await this.market(() => this.shops.api(order.shopId).shippingParameters(orderSn));
    return {
      modes: [...(p.pickup ? ['pickup' as const] : []), ...(p.dropoff ? ['dropoff' as const] : []), ...(p.nonIntegrated ? ['non_integrated' as const] : [])],
      pickup: p.pickup,
      dropoff: p.dropoff,
    };
  }

  /** ship_order through the marketplace, then the order is read back; the tracking number follows (poll / push code 4). */
  async ship(actor: Actor, orderSn: string, input: ShipInput, requestId?: string): Promise<OrderDetail> {
    const order = await this.shippable(actor, orderSn);
    const request = shipRequest(input);
    await this.market(() => this.shops.api(order.shopId).ship(orderSn, request));
    const name = (await this.namesOf([actor.userid])).get(actor.userid) ?? actor.userid;
    await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      // The carrier assigns the number later (push code 4 says so; the poll makes sure): first look in 2 s.
      if (input.mode !== 'non_integrated')
        await this.trackingPoll.at(`${TRACKING_TIMER}:${orderSn}`, Date.now() + 2_000, { shopId: order.shopId, attempt: 1 }, { manager: tx.manager });
      const mode = { pickup: '上门揽收', dropoff: '自行送至网点', non_integrated: '自有物流' }[input.mode];
      await this.sync.timeline(tx, order.id, 'shipped', actor.userid, `${name} 安排发货（${mode}）`, null, input.mode);
      await tx.audit({ action: 'orders.shipped', targetType: 'order', targetId: orderSn, after: { mode: input.mode } });
    });
    await this.refresh(order.shopId, orderSn);
    if (input.mode === 'non_integrated' && input.trackingNumber) await this.recordTracking(orderSn, input.trackingNumber);
    return this.detail(actor, orderSn);
  }

  /** Re-read one order from the marketplace and apply it (after our own changes, and for pushes). */
  async refresh(shopId: string, orderSn: string): Promise<void> {
    const [m] = await this.shops.api(shopId).orderDetails([orderSn]);
    if (m) await this.sync.apply(m);
  }

  /** Ask the marketplace for the tracking number; stored (and 发货 announced) once it exists. True when known. */
  async pollTracking(shopId: string, orderSn: string): Promise<boolean> {
    const order = await this.ds.getRepository(Order).findOneBy({ orderSn });
    if (!order) return false;
    if (order.trackingNumber) return true;
    const tracking = await this.shops.api(shopId).trackingNumber(orderSn);
    if (!tracking) return false;
    await this.recordTracking(orderSn, tracking);
    return true;
  }

  private async recordTracking(orderSn: string, tracking: string): Promise<void> {
    await this.uow.run({ actor: 'shopee' }, async (tx) => {
      const order = await tx.manager.findOneByOrFail(Order, { orderSn });
      if (order.trackingNumber !== tracking) await this.sync.tracked(tx, order, tracking);
    });
  }

  private async shippable(actor: Actor, orderSn: string): Promise<Order> {
    const order = await this.readable(actor, orderSn);
    if (order.assignee !== actor.userid && !can(actor, 'orders:assign', { shopId: order.shopId }))
      throw new ForbiddenError('请先认领订单再发货 (claim the order before shipping it)');
    if (!SHIPPABLE.includes(order.status))
      throw new AppError(409, 'not_shippable', `订单状态为 ${order.status}，不能安排发货 (only orders waiting to ship can be shipped)`);
    return order;
  }

  private async readable(actor: Actor, orderSn: string): Promise<Order> {
    const order = await this.ds.getRepository(Order).findOneBy({ orderSn });
    if (!order) throw new NotFoundError('订单不存在 (order not found)');
    if (!can(actor, 'orders:read', { shopId: order.shopId })) throw new ForbiddenError('无权查看该店铺的订单 (no access to this shop)');
    return order;
  }

  /** Marketplace failures as API errors: the shop needs re-authorization (409), Shopee refused (422), unreachable (502). */
  private async market<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof ShopNeedsReauthorization)
        throw new AppError(409, 'shop_needs_reauth', '店铺授权已失效，请店长重新授权 (the shop must be linked again)');
      if (err instanceof MarketplaceError && !err.retryable) throw new AppError(422, 'marketplace_refused', `Shopee 拒绝了请求：${err.code} (${err.message})`);
      if (err instanceof MarketplaceError)
        throw new AppError(502, 'marketplace_unavailable', 'Shopee 暂时无法访问，请稍后重试 (Shopee is unreachable; try again)');
      throw err;
    }
  }

  private async viewContext(orders: Order[], actor: Actor, extra: string[] = []): Promise<Omit<ViewContext, 'details'>> {
    const people = [...orders.map((o) => o.assignee ?? '').filter(Boolean), ...extra, actor.userid];
    const [names, shops] = await Promise.all([this.namesOf(people), this.shops.list().catch(() => [])]);
    return { names, shopNames: new Map(shops.map((s) => [s.shopId, s.name])) };
  }
}

function shipRequest(input: ShipInput): ShipRequest {
  if (input.mode === 'pickup') {
    if (input.addressId === undefined || !input.pickupTimeId)
      throw new ValidationError('上门揽收需要 addressId 和 pickupTimeId (pickup needs addressId and pickupTimeId)', { field: 'addressId' });
    return { mode: 'pickup', addressId: input.addressId, pickupTimeId: input.pickupTimeId };
  }
  if (input.mode === 'dropoff') {
    if (input.branchId === undefined) throw new ValidationError('自行送至网点需要 branchId (dropoff needs branchId)', { field: 'branchId' });
    return { mode: 'dropoff', branchId: input.branchId };
  }
  if (!input.trackingNumber) throw new ValidationError('自有物流需要运单号 (non_integrated needs trackingNumber)', { field: 'trackingNumber' });
  return { mode: 'non_integrated', trackingNumber: input.trackingNumber };
}

const encodeCursor = (at: number, id: number): string => Buffer.from(`${at}:${id}`).toString('base64url');
function decodeCursor(cursor: string): [number, number] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split(':').map(Number);
  if (!Number.isSafeInteger(at) || !Number.isSafeInteger(id)) throw new ValidationError('cursor 无效 (invalid cursor)', { field: 'cursor' });
  return [at!, id!];
}
