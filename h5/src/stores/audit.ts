import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { AuditEntryView, AuditQuery } from '@shopcrew/shared';
import { fetchAudit } from '@/api/admin';
import { asApiError, type ApiError } from '@/api/http';
import type { LoadState } from '@/types';

export type AuditFilters = Omit<AuditQuery, 'before' | 'limit'>;

const PAGE_SIZE = 30;

/** 操作日志: the entries matching the current filters, loaded a page at a time (GET /api/audit). */
export const useAuditStore = defineStore('audit', () => {
  const filters = ref<AuditFilters>({});
  const entries = ref<AuditEntryView[]>([]);
  const nextBefore = ref<number | null>(null);
  const state = ref<LoadState>('idle');
  const error = ref<ApiError | null>(null);
  const loadingMore = ref(false);
  const moreError = ref<ApiError | null>(null);

  /** Bumped by every new query, so a slow answer to an older one is dropped. */
  let generation = 0;

  /** First page for `next` filters (replaces what is shown). */
  async function load(next: AuditFilters): Promise<void> {
    const mine = ++generation;
    filters.value = next;
    state.value = 'loading';
    error.value = null;
    moreError.value = null;
    try {
      const page = await fetchAudit({ ...next, limit: PAGE_SIZE });
      if (mine !== generation) return;
      entries.value = page.entries;
      nextBefore.value = page.nextBefore;
      state.value = 'done';
    } catch (e) {
      if (mine !== generation) return;
      error.value = asApiError(e);
      state.value = 'error';
    }
  }

  /** The next (older) page, appended. */
  async function loadMore(): Promise<void> {
    if (loadingMore.value || nextBefore.value === null) return;
    const mine = generation;
    loadingMore.value = true;
    moreError.value = null;
    try {
      const page = await fetchAudit({ ...filters.value, before: nextBefore.value, limit: PAGE_SIZE });
      if (mine !== generation) return;
      entries.value = [...entries.value, ...page.entries];
      nextBefore.value = page.nextBefore;
    } catch (e) {
      if (mine === generation) moreError.value = asApiError(e);
    } finally {
      loadingMore.value = false;
    }
  }

  return { filters, entries, nextBefore, state, error, loadingMore, moreError, load, loadMore };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAuditStore, import.meta.hot));
