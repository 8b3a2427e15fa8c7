import type { LeaseStore } from '../../db/leases';
import type { Logger } from '../../lib/logger';
import { scalarText } from '../../lib/text';
import { MarketplaceError, ShopNeedsReauthorization } from '../../marketplace/types';
import type { InboxHandler } from '../../wecom/callbacks/event-handlers';
import type { ShopService } from '../shops/shop.service';
import type { CaseSync } from './case-sync.service';

const OVERLAP_MS = 2 * 60_000;
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
          if (err instanceof ShopNeedsReauthorization || (err instanceof MarketplaceError && err.code === 'shop_not_linked')) return 'ignored';
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
    const key = `aftersales.sweep:${shopId}`;
    const to = this.now();
    const mark = await this.leases.readValue(key);
    const from = mark ? Number(mark.value) - OVERLAP_MS : to - FIRST_SWEEP_MS;
    const api = this.shops.api(shopId);
    let changed = 0;
    let cursor: string | null = null;
    do {
      const page = await api.returnsUpdatedBetween(from, to, cursor);
      for (const listed of page.returns) {
        // The list lacks some deadlines (offer_due_date, seller_evidence_deadline …): the detail has them all.
        const outcome = await this.sync.apply(await api.returnDetail(listed.returnSn));
        if (outcome !== 'stale') changed++;
      }
      cursor = page.nextCursor;
    } while (cursor);
    await this.leases.writeValue(key, String(to), to + 365 * 86_400_000);
    if (changed) this.logger.info({ shopId, changed }, 'return sweep applied returns');
    return changed;
  }
}
