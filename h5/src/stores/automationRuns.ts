import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { AutomationRunView } from '@shopcrew/shared';
import { fetchRuns } from '@/api/automation';
import { asApiError, type ApiError } from '@/api/http';
import type { LoadState } from '@/types';

const PAGE_SIZE = 20;

/** 运行记录 of one automation rule: GET /api/automations/:id/runs, newest first, a page at a time ("load more"). */
export const useAutomationRunsStore = defineStore('automationRuns', () => {
  const ruleId = ref<number | null>(null);
  const items = ref<AutomationRunView[]>([]);
  const next = ref<number | null>(null);
  const state = ref<LoadState>('idle');
  const error = ref<ApiError | null>(null);
  const loadingMore = ref(false);
  const moreError = ref<ApiError | null>(null);

  /** Bumped by every first-page load, so a late answer for another rule (or an older refresh) is dropped. */
  let generation = 0;

  /** The first page of `id`'s runs (replaces what is shown; a refresh of the same rule keeps it on screen meanwhile). */
  async function load(id: number): Promise<void> {
    const mine = ++generation;
    if (ruleId.value !== id) {
      items.value = [];
      next.value = null;
    }
    ruleId.value = id;
    state.value = 'loading';
    error.value = null;
    moreError.value = null;
    try {
      const page = await fetchRuns(id, { limit: PAGE_SIZE });
      if (mine !== generation) return;
      items.value = page.items;
      next.value = page.next;
      state.value = 'done';
    } catch (e) {
      if (mine !== generation) return;
      error.value = asApiError(e);
      state.value = 'error';
    }
  }

  /** The next (older) page, appended. */
  async function loadMore(): Promise<void> {
    if (loadingMore.value || next.value === null || ruleId.value === null) return;
    const mine = generation;
    loadingMore.value = true;
    moreError.value = null;
    try {
      const page = await fetchRuns(ruleId.value, { before: next.value, limit: PAGE_SIZE });
      if (mine !== generation) return;
      const seen = new Set(items.value.map((r) => r.id));
      items.value = [...items.value, ...page.items.filter((r) => !seen.has(r.id))];
      next.value = page.next;
    } catch (e) {
      if (mine === generation) moreError.value = asApiError(e);
    } finally {
      loadingMore.value = false;
    }
  }

  return { ruleId, items, next, state, error, loadingMore, moreError, load, loadMore };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAutomationRunsStore, import.meta.hot));
