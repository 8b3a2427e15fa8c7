import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { AdminSummary } from '@shopcrew/shared';
import { fetchAdminSummary } from '@/api/admin';
import { ApiError } from '@/api/http';
import { startOfDay } from '@/composables/format';
import type { LoadState } from '@/types';

/** The home page's 管理 counters (GET /api/admin/summary, "today" = since the member's local midnight). */
export const useAdminSummaryStore = defineStore('admin-summary', () => {
  const summary = ref<AdminSummary | null>(null);
  const state = ref<LoadState>('idle');
  const error = ref<ApiError | null>(null);
  let inflight: Promise<void> | null = null;

  function load(): Promise<void> {
    if (inflight) return inflight;
    state.value = 'loading';
    error.value = null;
    inflight = fetchAdminSummary(startOfDay())
      .then((data) => {
        summary.value = data;
        state.value = 'done';
      })
      .catch((e: unknown) => {
        error.value = e instanceof ApiError ? e : new ApiError(0, 'unknown', String(e));
        state.value = 'error';
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  }

  return { summary, state, error, load };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAdminSummaryStore, import.meta.hot));
