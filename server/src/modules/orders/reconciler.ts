import type { LeaseStore } from '../../db/leases';
import type { Logger } from '../../lib/logger';
import { sweepSinceLast } from '../../marketplace/sweep';
import type { ShopService } from '../shops/shop.service';
import type { OrderSync } from './order-sync.service';

/** A shop swept for the first time: its orders of the last days. */
const FIRST_SWEEP_MS = 3 * 86_400_000;

/**
 * Reconciliation (../shared/docs/marketplace.md §1.4.6): pushes can be lost, so every few minutes each shop's orders
 * updated since the last sweep are listed (get_order_list by update_time) and re-read in batches of 50; whatever a
 * missed push would have said is applied then. The watermark per shop is kept in the database, advanced only after a
 * sweep completed.
 */
export class Reconciler {
  constructor(
    private readonly shops: ShopService,
    private readonly sync: OrderSync,
    private readonly leases: LeaseStore,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async sweepAll(): Promise<void> {
    for (const shopId of await this.shops.activeShopIds()) {
      await this.sweep(shopId).catch((err: unknown) => this.logger.warn({ shopId, err: (err as Error).message }, 'order sweep failed; next round tries again'));
    }
  }

  /** One shop: returns how many orders changed. */
  async sweep(shopId: string): Promise<number> {
    const api = this.shops.api(shopId);
    const changed = await sweepSinceLast(this.leases, `orders.sweep:${shopId}`, this.now(), FIRST_SWEEP_MS, async (from, to) => {
      let n = 0;
      let cursor: string | null = null;
      do {
        const page = await api.ordersUpdatedBetween(from, to, cursor);
        if (page.orders.length) {
          for (const m of await api.orderDetails(page.orders.map((o) => o.orderSn))) {
            const outcome = await this.sync.apply(m);
            if (outcome === 'created' || outcome === 'updated') n++;
          }
        }
        cursor = page.nextCursor;
      } while (cursor);
      return n;
    });
    if (changed) this.logger.info({ shopId, changed }, 'order sweep repaired orders');
    return changed;
  }
}
