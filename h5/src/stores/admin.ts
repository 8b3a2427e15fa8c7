import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { AdminSummary } from '@shopcrew/shared';
import { fetchAdminSummary } from '@/api/admin';
import { startOfDay } from '@/composables/format';
import { loadable } from './loadable';

/** The home page's 管理 counters (GET /api/admin/summary, "today" = since the member's local midnight). */
export const useAdminSummaryStore = defineStore('admin-summary', () => {
  const summary = ref<AdminSummary | null>(null);
  const { state, error, load } = loadable(
    () => fetchAdminSummary(startOfDay()),
    (data) => (summary.value = data),
  );

  return { summary, state, error, load };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAdminSummaryStore, import.meta.hot));
