// Everything the simulator knows (shops, orders, returns, tokens, pushes) and the model operations that change it.
// Every order change bumps update_time and sends push code 3; a tracking number sends code 4; every return change
// bumps the return's update_time and sends code 29.
import { AuthStore } from './auth-store';
import { SimClock } from './clock';
import { LostPushStore } from './lost-push';
import type { ResolvedOptions } from './options';
import { buildOrder, newOrderSn, newTrackingNumber, type OrderInput } from './order-factory';
import { isOrderStatus, logisticsStatusFor, TRANSITIONS, type Order, type OrderStatus } from './orders';
import { authorizationExpiryPush, orderStatusPush, returnUpdatePush, trackingNumberPush, type PushMessage } from './push-payloads';
import { PushSender } from './push-sender';
import { Rng } from './random';
import {
  applyAgreement,
  buildReturn,
  enterStatus,
  isFinalReturn,
  isReturnStatus,
  newReturnSn,
  RETURN_DEADLINES,
  RETURN_TRANSITIONS,
  RETURNABLE_ORDER_STATUSES,
  sellerUsername,
  stepReverseLogistics,
  type Return,
  type ReturnInput,
  type ReturnSolution,
  type ReturnStatus,
} from './returns';
import { newShop, type Shop, type ShopInput } from './shops';

export class SimState {
  readonly clock = new SimClock();
  readonly rng: Rng;
  readonly shops = new Map<number, Shop>();
  readonly orders = new Map<string, Order>();
  readonly returns = new Map<string, Return>();
  /** Armed by failNextReturnAction: the next confirm / offer / accept_offer / dispute on the return answers this. */
  readonly returnFailures = new Map<string, { error: string; message: string }>();
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
    this.clock.onAdvance(() => {
      this.assignDueTracking();
      this.applyReturnDeadlines();
    });
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

  ret(returnSn: string): Return {
    const r = this.returns.get(returnSn);
    if (!r) throw new Error(`unknown return ${returnSn}`);
    return r;
  }

  /** A buyer raises a return on an order (SHIPPED / TO_CONFIRM_RECEIVE → TO_RETURN, push 3); push code 29. */
  createReturn(orderSn: string, input: ReturnInput = {}): Return {
    const order = this.order(orderSn);
    if (!RETURNABLE_ORDER_STATUSES.includes(order.order_status)) {
      throw new Error(`order ${orderSn} is ${order.order_status}: a return needs ${RETURNABLE_ORDER_STATUSES.join(', ')}`);
    }
    if (input.return_sn && this.returns.has(input.return_sn)) throw new Error(`return ${input.return_sn} exists`);
    if (input.status !== undefined && !isReturnStatus(input.status)) throw new Error(`unknown return status ${String(input.status)}`);
    const shop = this.shop(order.shopId);
    const r = buildReturn(order, input, this.rng, this.clock.now(), sellerUsername(shop.name, shop.shopId));
    while (this.returns.has(r.return_sn)) r.return_sn = newReturnSn(this.rng, r.create_time);
    if (input.status && input.status !== 'REQUESTED') enterStatus(r, input.status, r.create_time);
    this.returns.set(r.return_sn, r);
    this.emit(returnUpdatePush(r, this.clock.now()));
    if (order.order_status === 'SHIPPED' || order.order_status === 'TO_CONFIRM_RECEIVE') this.setOrderStatus(orderSn, 'TO_RETURN');
    this.settleOrder(r);
    return r;
  }

  /** Move a return (RETURN_TRANSITIONS unless force), with the status's side effects; bump update_time; push 29. */
  moveReturn(returnSn: string, status: ReturnStatus, opts: { force?: boolean } = {}): Return {
    if (!isReturnStatus(status)) throw new Error(`unknown return status ${String(status)}`);
    const r = this.ret(returnSn);
    if (!opts.force && !RETURN_TRANSITIONS[r.status].includes(status)) throw new Error(`return ${returnSn}: ${r.status} → ${status} is not allowed`);
    enterStatus(r, status, this.clock.now());
    this.touchReturn(r);
    this.settleOrder(r);
    return r;
  }

  /** Any other change to a return (negotiation, logistics, proof): mutate, bump update_time, push 29. */
  changeReturn(returnSn: string, mutate: (r: Return) => void): Return {
    const r = this.ret(returnSn);
    mutate(r);
    this.touchReturn(r);
    return r;
  }

  /** Both sides agreed (accept_offer, the buyer accepting an offer, Shopee deciding at due_date). */
  agreeReturn(returnSn: string, solution: ReturnSolution, amount: number): Return {
    const r = this.ret(returnSn);
    return this.moveReturn(returnSn, applyAgreement(r, solution, amount), { force: true });
  }

  /** The buyer answers the seller's offer: accept it, reject it, or counter with a solution and amount. */
  buyerRespondToOffer(returnSn: string, answer: 'accept' | 'reject' | { solution: ReturnSolution; amount: number }): Return {
    const r = this.ret(returnSn);
    if (r.status !== 'REQUESTED' || r.negotiation.negotiation_status !== 'PENDING_BUYER_RESPOND') {
      throw new Error(`return ${returnSn}: no seller offer waits for the buyer (${r.status}, ${r.negotiation.negotiation_status})`);
    }
    if (answer === 'accept') return this.agreeReturn(returnSn, r.negotiation.latest_solution, r.negotiation.latest_offer_amount);
    return this.changeReturn(returnSn, (x) => {
      if (answer === 'reject') {
        x.negotiation.negotiation_status = 'TERMINATED';
        return;
      }
      if (answer.solution !== 'RETURN_REFUND' && answer.solution !== 'REFUND') throw new Error(`unknown solution ${String(answer.solution)}`);
      x.negotiation = {
        ...x.negotiation,
        negotiation_status: 'PENDING_RESPOND',
        latest_solution: answer.solution,
        latest_offer_amount: answer.amount,
        latest_offer_creator: x.user.username,
        offer_due_date: this.clock.now() + RETURN_DEADLINES.offerAnswer,
      };
    });
  }

  /** The returned parcel moves one step (PROCESSING, return & refund); the tracking number comes with REQUEST_CREATED. */
  advanceReturnLogistics(returnSn: string): Return {
    const r = this.ret(returnSn);
    if (r.status !== 'PROCESSING' || !r.needs_logistics) throw new Error(`return ${returnSn}: no parcel travels back (${r.status})`);
    if (!stepReverseLogistics(r, this.rng, this.clock.now())) throw new Error(`return ${returnSn}: the parcel is already delivered`);
    this.touchReturn(r);
    return r;
  }

  /** What Shopee does when a deadline passes on the simulator's clock (each change pushes code 29). */
  applyReturnDeadlines(): void {
    const now = this.clock.now();
    for (const r of [...this.returns.values()]) {
      const n = r.negotiation;
      if (r.status === 'REQUESTED' && n.negotiation_status === 'PENDING_BUYER_RESPOND' && n.offer_due_date && now >= n.offer_due_date) {
        // The buyer did not answer the offer: negotiation ends, the request stands as raised.
        this.changeReturn(r.return_sn, (x) => {
          x.negotiation.negotiation_status = 'TERMINATED';
        });
      }
      if (r.status === 'REQUESTED' && n.negotiation_status !== 'PENDING_BUYER_RESPOND' && now >= r.due_date) {
        // The seller did not answer (and no offer of theirs awaits the buyer): Shopee approves the buyer's proposal
        // (a counter-offer, else the request).
        const counter = n.negotiation_status === 'PENDING_RESPOND' && n.latest_offer_creator === r.user.username;
        this.agreeReturn(
          r.return_sn,
          counter ? n.latest_solution : r.return_solution === 0 ? 'RETURN_REFUND' : 'REFUND',
          counter ? n.latest_offer_amount : r.refund_amount,
        );
      } else if (r.status === 'PROCESSING' && r.needs_logistics && r.return_ship_due_date && now >= r.return_ship_due_date && !this.shipped(r)) {
        this.moveReturn(r.return_sn, 'CANCELLED'); // the buyer never shipped the parcel back
      } else if (r.status === 'PROCESSING' && now >= r.due_date) {
        this.moveReturn(r.return_sn, 'ACCEPTED'); // the seller did not decide in time: refunded
      }
      if (
        (r.status === 'SELLER_DISPUTE' || r.status === 'JUDGING') &&
        r.seller_proof.seller_proof_status === 'PENDING' &&
        r.seller_proof.seller_evidence_deadline &&
        now >= r.seller_proof.seller_evidence_deadline
      ) {
        this.changeReturn(r.return_sn, (x) => {
          x.seller_proof.seller_proof_status = 'OVERDUE';
        });
      }
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
    // Timers run on the monotonic clock and may fire a millisecond before Date.now() says the delay has passed: look
    // again until the number is due.
    const timer = setTimeout(() => {
      this.trackingTimers.delete(timer);
      this.assignDueTracking();
      const due = order.package.trackingDueMs;
      if (due !== undefined && !order.package.tracking_number) this.scheduleTracking(order, Math.max(1, due - this.clock.nowMs()));
    }, delayMs + 1);
    this.trackingTimers.add(timer);
  }

  private assignTracking(order: Order): void {
    order.package.tracking_number = newTrackingNumber(this.rng, order.region);
    order.package.trackingDueMs = undefined;
    this.touch(order);
    this.emit(trackingNumberPush(order, this.clock.now()));
  }

  private shipped(r: Return): boolean {
    return ['LOGISTICS_PICKUP_DONE', 'LOGISTICS_DELIVERY_DONE'].includes(r.logistics_status);
  }

  private touchReturn(r: Return): void {
    r.update_time = Math.max(this.clock.now(), r.update_time);
    this.emit(returnUpdatePush(r, this.clock.now()));
  }

  /** A TO_RETURN order whose returns are all final is COMPLETED (push 3). */
  private settleOrder(r: Return): void {
    if (!isFinalReturn(r.status)) return;
    const order = this.orders.get(r.order_sn);
    if (!order || order.order_status !== 'TO_RETURN') return;
    if ([...this.returns.values()].some((x) => x.order_sn === r.order_sn && !isFinalReturn(x.status))) return;
    this.setOrderStatus(order.order_sn, 'COMPLETED');
  }

  private touch(order: Order): void {
    order.update_time = Math.max(this.clock.now(), order.update_time);
  }

  private emit(msg: PushMessage): void {
    this.pushes.send(msg);
  }
}
