import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { CaseDetail, CaseSummary, OrderPerson } from '@shopcrew/shared';
import { claimCase, fetchCase, fetchCases } from '@/api/cases';
import { asApiError } from '@/api/http';
import { conflictOf, filtersKey, listQuery, toSummary, type CaseFilters } from '@/composables/cases';
import { pagedList } from './paged-list';

const PAGE_SIZE = 20;

/** What 认领 came to: the case is the member's, or someone was quicker (409 already_claimed). */
export type CaseClaimResult = { claimed: true; case: CaseDetail } | { claimed: false; by: OrderPerson | null; message: string };

/**
 * 售后 list: the cases matching the filters (我的 / 待分配 / 全部 / 即将超时 / 已超时 / 待审批, shop, state), most
 * urgent first, a page at a time (GET /api/cases, `nextCursor`), and 认领 from a row. Rows are kept fresh
 * from the answers of the detail page's actions (`patchRow`).
 */
export const useCasesStore = defineStore('cases', () => {
  const { filters, items, nextCursor, state, error, loadingMore, moreError, load, refresh, loadMore, patchRow } = pagedList<CaseFilters, CaseSummary>({
    initial: { view: 'mine' },
    key: filtersKey,
    fetch: (filters, cursor) => fetchCases(listQuery(filters, cursor, PAGE_SIZE)),
    id: (c) => c.id,
    toRow: toSummary,
  });
  /** Rows whose 认领 is on its way. */
  const claiming = ref<Record<number, boolean>>({});

  /**
   * 认领 from the list. The row then shows its new holder. When someone was quicker the row is reloaded and the
   * result says who; other failures throw ApiError.
   */
  async function claim(id: number): Promise<CaseClaimResult> {
    claiming.value[id] = true;
    try {
      const next = await claimCase(id);
      patchRow(next);
      return { claimed: true, case: next };
    } catch (e) {
      const err = asApiError(e);
      const conflict = conflictOf(err, 'already_claimed');
      if (!conflict) throw err;
      await fetchCase(id).then(patchRow, () => undefined);
      return { claimed: false, ...conflict };
    } finally {
      delete claiming.value[id];
    }
  }

  return { filters, items, nextCursor, state, error, loadingMore, moreError, claiming, load, refresh, loadMore, patchRow, claim };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCasesStore, import.meta.hot));
