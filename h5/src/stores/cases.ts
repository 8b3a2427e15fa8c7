import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { CaseDetail, CaseSummary, OrderPerson } from '@shopcrew/shared';
import { claimCase, fetchCase, fetchCases } from '@/api/cases';
import { asApiError, type ApiError } from '@/api/http';
import { conflictOf, filtersKey, listQuery, toSummary, type CaseFilters } from '@/composables/cases';
import type { LoadState } from '@/types';

const PAGE_SIZE = 20;

/** What 认领 came to: the case is the member's, or someone was quicker (409 already_claimed). */
export type CaseClaimResult = { claimed: true; case: CaseDetail } | { claimed: false; by: OrderPerson | null; message: string };

/**
 * 售后 list: the cases matching the filters (我的 / 待分配 / 全部 / 即将超时 / 已超时 / 待审批, shop, state), most
 * urgent first, a page at a time (GET /api/cases, `nextCursor`), and 认领 from a row. Rows are kept fresh
 * from the answers of the detail page's actions (`patchRow`).
 */
export const useCasesStore = defineStore('cases', () => {
  const filters = ref<CaseFilters>({ view: 'mine' });
  const items = ref<CaseSummary[]>([]);
  const nextCursor = ref<string | null>(null);
  const state = ref<LoadState>('idle');
  const error = ref<ApiError | null>(null);
  const loadingMore = ref(false);
  const moreError = ref<ApiError | null>(null);
  /** Rows whose 认领 is on its way. */
  const claiming = ref<Record<number, boolean>>({});

  /** Bumped by every first-page load, so a slow answer for other filters (or an older refresh) is dropped. */
  let generation = 0;

  /** The first page for `next` (replaces the list; rows of the same filters stay on screen while it loads). */
  async function load(next: CaseFilters = filters.value): Promise<void> {
    const mine = ++generation;
    if (filtersKey(next) !== filtersKey(filters.value)) {
      items.value = [];
      nextCursor.value = null;
    }
    filters.value = next;
    state.value = 'loading';
    error.value = null;
    moreError.value = null;
    try {
      const page = await fetchCases(listQuery(next, null, PAGE_SIZE));
      if (mine !== generation) return;
      items.value = page.items;
      nextCursor.value = page.nextCursor;
      state.value = 'done';
    } catch (e) {
      if (mine !== generation) return;
      error.value = asApiError(e);
      state.value = 'error';
    }
  }

  /** 下拉刷新: the first page of the same filters again. */
  const refresh = () => load(filters.value);

  /** The next page, appended (the infinite list). */
  async function loadMore(): Promise<void> {
    if (loadingMore.value || nextCursor.value === null || state.value !== 'done') return;
    const mine = generation;
    loadingMore.value = true;
    moreError.value = null;
    try {
      const page = await fetchCases(listQuery(filters.value, nextCursor.value, PAGE_SIZE));
      if (mine !== generation) return;
      const seen = new Set(items.value.map((c) => c.id));
      items.value = [...items.value, ...page.items.filter((c) => !seen.has(c.id))];
      nextCursor.value = page.nextCursor;
    } catch (e) {
      if (mine === generation) moreError.value = asApiError(e);
    } finally {
      loadingMore.value = false;
    }
  }

  /** A row as the server has it now (after an action here or on the detail page); rows not listed are left alone. */
  function patchRow(next: CaseSummary): void {
    const i = items.value.findIndex((c) => c.id === next.id);
    if (i >= 0) items.value.splice(i, 1, toSummary(next));
  }

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
