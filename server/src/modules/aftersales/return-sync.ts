import type { LeaseStore } from '../../db/leases';
import type { Logger } from '../../lib/logger';
import { scalarText } from '../../lib/text';
import { sweepSinceLast } from '../../marketplace/sweep';
import { isShopUnreadable } from '../../marketplace/types';
import type { InboxHandler } from '../../wecom/callbacks/event-handlers';
import type { ShopService } from '../shops/shop.service';
import type { CaseSync } from './case-sync.service';

const FIRST_SWEEP_MS = 7 * 86_400_000;

/**
 * Returns in from Shopee: push code 29 (return_updates_push; its payload is not documented, so it is read as "re-read
 * this return": by return_sn when it has one, else the shop is swept), and a sweep per shop with get_return_list by
 * update time every few minutes, so a lost push is repaired within minutes (../shared/docs/marketplace.md §1.4.6).
 */
export class ReturnSync {
  constructor(
    private readonly shops: ShopService,
    private readonly sync: CaseSync,
    private readonly leases: LeaseStore,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  handlers(): Record<string, InboxHandler> {
    return {
      return_updates: async (e) => {
        const data = (e.fields['data'] ?? {}) as Record<string, unknown>;
        const shopId = scalarText(e.fields['shop_id']);
        const returnSn = scalarText(data['return_sn']);
        if (!shopId) return 'ignored';
        try {
          if (returnSn) await this.sync.apply(await this.shops.api(shopId).returnDetail(returnSn));
          else await this.sweep(shopId);
          return 'applied';
        } catch (err) {
          if (isShopUnreadable(err)) return 'ignored';
          throw err;
        }
      },
    };
  }

  async sweepAll(): Promise<void> {
    for (const shopId of await this.shops.activeShopIds())
      await this.sweep(shopId).catch((err: unknown) =>
        this.logger.warn({ shopId, err: (err as Error).message }, 'return sweep failed; next round tries again'),
      );
  }

  /** One shop's returns updated since the last sweep; answers how many cases changed. */
  async sweep(shopId: string): Promise<number> {
    const api = this.shops.api(shopId);
    const changed = await sweepSinceLast(this.leases, `aftersales.sweep:${shopId}`, this.now(), FIRST_SWEEP_MS, async (from, to) => {
      let n = 0;
      let cursor: string | null = null;
      do {
        const page = await api.returnsUpdatedBetween(from, to, cursor);
        for (const listed of page.returns) {
          // The list lacks some deadlines (offer_due_date, seller_evidence_deadline …): the detail has them all.
          if ((await this.sync.apply(await api.returnDetail(listed.returnSn))) !== 'stale') n++;
        }
        cursor = page.nextCursor;
      } while (cursor);
      return n;
    });
    if (changed) this.logger.info({ shopId, changed }, 'return sweep applied returns');
    return changed;
  }
}
