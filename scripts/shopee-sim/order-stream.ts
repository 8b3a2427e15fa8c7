// Demo traffic: new READY_TO_SHIP orders (each pushed as code 3) at random intervals, and now and then an older order
// moving on (the seller ships a long-waiting order from Seller Centre, a shipped parcel is delivered, a buyer cancels
// an order nobody shipped yet), a buyer raising a return on a shipped or completed order (code 29), and an open
// return moving on (the buyer answers an offer, the parcel travels back, Shopee takes up and decides a dispute).
// Real timers, not the simulator's clock, so a demo feels alive.
import { newTrackingNumber } from './order-factory';
import type { Order, OrderStatus } from './orders';
import { money, type Return } from './returns';
import type { SimState } from './state';

export interface OrderStreamOptions {
  /** The first order comes at a random moment up to this many ms after the start (at least 5 s when it allows). Default 25000. */
  firstWithinMs?: number;
  /** [min, max] ms between orders. Default [10000, 20000]. */
  everyMs?: [number, number];
  /** Chance per tick that one READY_TO_SHIP order is cancelled by the buyer. Default 0.05. */
  cancelChance?: number;
  /** Chance per tick that one order in transit moves a step (SHIPPED → TO_CONFIRM_RECEIVE → COMPLETED …). Default 0.3. */
  progressChance?: number;
  /**
   * Chance per tick that one READY_TO_SHIP order waiting longer than shipAfterS (simulator seconds) is shipped as if
   * from Seller Centre (→ PROCESSED, then a tracking number), so orders reach SHIPPED / COMPLETED without the app.
   * Default 0.15; 0 turns it off.
   */
  shipChance?: number;
  /** Default 300. */
  shipAfterS?: number;
  /** Chance per tick that a buyer raises a return on a SHIPPED / TO_CONFIRM_RECEIVE / COMPLETED order. Default 0.15. */
  returnChance?: number;
  /** Chance per tick that one open return moves a step (buyer, 3PL or Shopee). Default 0.25. */
  returnProgressChance?: number;
}

const NEXT_IN_TRANSIT: Partial<Record<OrderStatus, OrderStatus>> = {
  PROCESSED: 'SHIPPED',
  SHIPPED: 'TO_CONFIRM_RECEIVE',
  TO_CONFIRM_RECEIVE: 'COMPLETED',
};

export class OrderStreams {
  private readonly timers = new Map<number, NodeJS.Timeout>();

  constructor(private readonly state: SimState) {}

  start(shopId: number, o: OrderStreamOptions = {}): void {
    this.state.shop(shopId);
    this.stop(shopId);
    const rng = this.state.rng;
    const within = o.firstWithinMs ?? 25_000;
    const [min, max] = o.everyMs ?? [10_000, 20_000];
    const schedule = (delay: number): void => {
      this.timers.set(
        shopId,
        setTimeout(() => {
          this.tick(shopId, o);
          schedule(rng.int(min, max));
        }, delay),
      );
    };
    schedule(rng.int(Math.min(5_000, within), within));
  }

  stop(shopId?: number): void {
    for (const [id, t] of this.timers) {
      if (shopId === undefined || id === shopId) {
        clearTimeout(t);
        this.timers.delete(id);
      }
    }
  }

  private tick(shopId: number, o: OrderStreamOptions): void {
    const { state } = this;
    const rng = state.rng;
    state.createOrder(shopId);
    const mine = (pred: (x: Order) => boolean): Order[] => [...state.orders.values()].filter((x) => x.shopId === shopId && pred(x));
    if (rng.chance(o.progressChance ?? 0.3)) {
      const moving = mine((x) => NEXT_IN_TRANSIT[x.order_status] !== undefined && x.update_time < state.clock.now() - 30);
      if (moving.length) {
        const x = rng.pick(moving);
        state.setOrderStatus(x.order_sn, NEXT_IN_TRANSIT[x.order_status]!);
      }
    }
    if (rng.chance(o.cancelChance ?? 0.05)) {
      const waiting = mine((x) => x.order_status === 'READY_TO_SHIP' && x.create_time < state.clock.now() - 30);
      if (waiting.length) state.setOrderStatus(rng.pick(waiting).order_sn, 'CANCELLED', { cancelBy: 'buyer', reason: 'Change of mind' });
    }
    if (rng.chance(o.shipChance ?? 0.15)) {
      const waiting = mine((x) => x.order_status === 'READY_TO_SHIP' && x.update_time < state.clock.now() - (o.shipAfterS ?? 300));
      if (waiting.length) {
        const x = rng.pick(waiting);
        const method = x.shipping === 'pickup' ? 'pickup' : x.shipping === 'non_integrated' ? 'non_integrated' : 'dropoff';
        state.arrangeShipment(x, method, method === 'non_integrated' ? newTrackingNumber(rng, x.region) : undefined);
      }
    }
    if (rng.chance(o.returnChance ?? 0.15)) {
      const returned = new Set([...state.returns.values()].map((r) => r.order_sn));
      const done = mine(
        (x) => ['SHIPPED', 'TO_CONFIRM_RECEIVE', 'COMPLETED'].includes(x.order_status) && x.create_time < state.clock.now() - 30 && !returned.has(x.order_sn),
      );
      if (done.length) state.createReturn(rng.pick(done).order_sn);
    }
    if (rng.chance(o.returnProgressChance ?? 0.25)) {
      const open = [...state.returns.values()].filter((r) => r.shopId === shopId && r.update_time < state.clock.now() - 30 && this.returnStep(r));
      if (open.length) this.returnStep(rng.pick(open))!();
    }
  }

  /** What the world (buyer, 3PL, Shopee) does next with an open return, if anything. */
  private returnStep(r: Return): (() => void) | undefined {
    const { state } = this;
    const rng = state.rng;
    const sn = r.return_sn;
    if (r.status === 'REQUESTED' && r.negotiation.negotiation_status === 'PENDING_BUYER_RESPOND') {
      return () => {
        const roll = rng.next();
        const n = r.negotiation;
        if (roll < 0.4) state.buyerRespondToOffer(sn, 'accept');
        else if (roll < 0.7)
          state.buyerRespondToOffer(sn, { solution: n.latest_solution, amount: money(r.region, (n.latest_offer_amount + r.refund_amount) / 2) });
        else state.buyerRespondToOffer(sn, 'reject');
      };
    }
    if (r.status === 'PROCESSING' && r.needs_logistics && r.logistics_status !== 'LOGISTICS_DELIVERY_DONE') return () => state.advanceReturnLogistics(sn);
    if (r.status === 'SELLER_DISPUTE') return () => state.moveReturn(sn, 'JUDGING');
    if (r.status === 'JUDGING') return () => state.moveReturn(sn, rng.chance(0.5) ? 'ACCEPTED' : 'CLOSED');
    return undefined;
  }
}
