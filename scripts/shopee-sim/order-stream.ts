// Demo traffic: new READY_TO_SHIP orders (each pushed as code 3) at random intervals, and now and then an older order
// moving on (a shipped parcel is delivered, a buyer cancels an order nobody shipped yet). Real timers, not the
// simulator's clock, so a demo feels alive.
import type { Order, OrderStatus } from './orders';
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
  }
}
