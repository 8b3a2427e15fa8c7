// Everything the simulator knows (shops, orders, tokens, pushes) and the model operations that change it. Every
// order change bumps update_time and sends push code 3; a tracking number sends code 4.
import { AuthStore } from './auth-store';
import { SimClock } from './clock';
import { LostPushStore } from './lost-push';
import type { ResolvedOptions } from './options';
import { buildOrder, newOrderSn, newTrackingNumber, type OrderInput } from './order-factory';
import { isOrderStatus, logisticsStatusFor, TRANSITIONS, type Order, type OrderStatus } from './orders';
import { authorizationExpiryPush, orderStatusPush, trackingNumberPush, type PushMessage } from './push-payloads';
import { PushSender } from './push-sender';
import { Rng } from './random';
import { newShop, type Shop, type ShopInput } from './shops';

export class SimState {
  readonly clock = new SimClock();
  readonly rng: Rng;
  readonly shops = new Map<number, Shop>();
  readonly orders = new Map<string, Order>();
  readonly auth: AuthStore;
  readonly lost = new LostPushStore();
  readonly pushes: PushSender;
  /** Shops whose next successful refresh answer is destroyed, and how. */
  readonly loseRefresh = new Map<number, 'reset' | '502'>();
  private readonly trackingTimers = new Set<NodeJS.Timeout>();

  constructor(readonly opts: ResolvedOptions) {
    this.rng = new Rng(opts.seed);
    this.auth = new AuthStore(this.clock);
    this.pushes = new PushSender({
      clock: this.clock,
      rng: this.rng,
      lost: this.lost,
      pushUrl: () => this.opts.pushUrl,
      pushKey: () => this.opts.pushKey ?? this.opts.partnerKey,
      retryDelaysMs: () => this.opts.retryDelaysMs,
      timeoutMs: opts.pushTimeoutMs,
      reorderHoldMs: opts.reorderHoldMs,
    });
    this.clock.onAdvance(() => this.assignDueTracking());
  }

  addShop(input: ShopInput): Shop {
    if (input.shopId !== undefined && this.shops.has(input.shopId)) throw new Error(`shop ${input.shopId} exists`);
    const shop = newShop(input, this.rng);
    this.shops.set(shop.shopId, shop);
    return shop;
  }

  shop(shopId: number): Shop {
    const shop = this.shops.get(shopId);
    if (!shop) throw new Error(`unknown shop ${shopId}`);
    return shop;
  }

  order(orderSn: string): Order {
    const order = this.orders.get(orderSn);
    if (!order) throw new Error(`unknown order ${orderSn}`);
    return order;
  }

  createOrder(shopId: number, input: OrderInput = {}): Order {
    const shop = this.shop(shopId);
    const order = buildOrder(shop, input, this.rng, this.clock.now(), this.opts.maskBuyerUsername);
    if (input.order_sn && this.orders.has(input.order_sn)) throw new Error(`order ${input.order_sn} exists`);
    while (this.orders.has(order.order_sn)) order.order_sn = newOrderSn(this.rng, order.create_time);
    order.package.logistics_status = logisticsStatusFor(order, order.order_status);
    this.orders.set(order.order_sn, order);
    this.emit(orderStatusPush(order, this.clock.now()));
    if (['PROCESSED', 'SHIPPED', 'TO_CONFIRM_RECEIVE', 'COMPLETED'].includes(order.order_status)) this.scheduleTracking(order, 0);
    return order;
  }

  /** Move an order along the status machine (force skips the transition check), bump update_time, push code 3. */
  setOrderStatus(orderSn: string, status: OrderStatus, opts: { force?: boolean; cancelBy?: 'buyer' | 'seller' | 'system'; reason?: string } = {}): Order {
    if (!isOrderStatus(status)) throw new Error(`unknown order status ${String(status)}`);
    const order = this.order(orderSn);
    const from = order.order_status;
    if (!opts.force && !TRANSITIONS[from].includes(status)) throw new Error(`order ${orderSn}: ${from} → ${status} is not a Shopee transition`);
    if (status === 'IN_CANCEL') order.statusBeforeCancel = from;
    if (status === 'CANCELLED') {
      order.cancel_by = opts.cancelBy ?? (from === 'IN_CANCEL' || from === 'UNPAID' ? 'buyer' : 'seller');
      order.cancel_reason = opts.reason ?? (order.cancel_by === 'buyer' ? 'Need to change delivery address' : 'Out of Stock');
      if (order.cancel_by === 'buyer') order.buyer_cancel_reason = order.cancel_reason;
    }
    if (from === 'UNPAID' && status !== 'CANCELLED' && order.pay_time === null) order.pay_time = this.clock.now();
    if (status === 'SHIPPED' && !order.pickup_done_time) order.pickup_done_time = this.clock.now();
    order.package.logistics_status = logisticsStatusFor(order, status);
    order.order_status = status;
    this.touch(order);
    this.emit(orderStatusPush(order, this.clock.now()));
    if (
      ['PROCESSED', 'SHIPPED', 'TO_CONFIRM_RECEIVE', 'COMPLETED'].includes(status) &&
      !order.package.tracking_number &&
      order.package.trackingDueMs === undefined &&
      order.package.shippedWith !== 'non_integrated'
    ) {
      this.scheduleTracking(order, status === 'PROCESSED' ? this.opts.trackingDelayMs : 0);
    }
    return order;
  }

  /** ship_order / update_shipping_order succeeded: PROCESSED (pickup, dropoff) or SHIPPED (non-integrated). */
  arrangeShipment(order: Order, method: 'pickup' | 'dropoff' | 'non_integrated', trackingNumber?: string): void {
    order.package.shippedWith = method;
    if (method === 'non_integrated') {
      order.package.tracking_number = trackingNumber ?? '';
      this.setOrderStatus(order.order_sn, 'PROCESSED');
      this.setOrderStatus(order.order_sn, 'SHIPPED');
      return;
    }
    this.setOrderStatus(order.order_sn, 'PROCESSED');
  }

  /** Assign tracking numbers whose 3PL delay has passed on the simulator's clock. */
  assignDueTracking(): void {
    const now = this.clock.nowMs();
    for (const order of this.orders.values()) {
      const due = order.package.trackingDueMs;
      if (due !== undefined && due <= now && !order.package.tracking_number) this.assignTracking(order);
    }
  }

  sendAuthorizationExpiryPush(): PushMessage | undefined {
    const now = this.clock.now();
    const before = now + 7 * 86400;
    const shopIds = [...this.shops.values()].filter((s) => s.expireTime !== undefined && s.expireTime > now && s.expireTime <= before).map((s) => s.shopId);
    if (!shopIds.length) return undefined;
    const msg = authorizationExpiryPush(shopIds, before, now);
    this.emit(msg);
    return msg;
  }

  close(): void {
    for (const t of this.trackingTimers) clearTimeout(t);
    this.trackingTimers.clear();
    this.pushes.close();
  }

  private scheduleTracking(order: Order, delayMs: number): void {
    order.package.trackingDueMs = this.clock.nowMs() + delayMs;
    if (delayMs <= 0) {
      this.assignTracking(order);
      return;
    }
    const timer = setTimeout(() => {
      this.trackingTimers.delete(timer);
      this.assignDueTracking();
    }, delayMs);
    this.trackingTimers.add(timer);
  }

  private assignTracking(order: Order): void {
    order.package.tracking_number = newTrackingNumber(this.rng, order.region);
    order.package.trackingDueMs = undefined;
    this.touch(order);
    this.emit(trackingNumberPush(order, this.clock.now()));
  }

  private touch(order: Order): void {
    order.update_time = Math.max(this.clock.now(), order.update_time);
  }

  private emit(msg: PushMessage): void {
    this.pushes.send(msg);
  }
}
