import { acceptHMRUpdate, defineStore } from 'pinia';
import type { SopRunSummary } from '@shopcrew/shared';
import { fetchRuns } from '@/api/sop';
import { filtersKey, listQuery, toRunSummary, type RunFilters } from '@/composables/sop';
import { pagedList } from './paged-list';

const PAGE_SIZE = 20;

/**
 * 清单 list: the runs of a view (我的: a step for me to do; 团队: every run the member may see), a state and a subject
 * (`order:SN`), a page at a time (GET /api/sop/runs, `nextCursor`). Rows are kept fresh from the answers of the run
 * page's steps (`patchRow`).
 */
export const useSopRunsStore = defineStore('sopRuns', () => {
  const list = pagedList<RunFilters, SopRunSummary>({
    initial: { view: 'mine' },
    key: filtersKey,
    fetch: (filters, cursor) => fetchRuns(listQuery(filters, cursor, PAGE_SIZE)),
    id: (run) => run.id,
    toRow: toRunSummary,
  });
  return { ...list };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSopRunsStore, import.meta.hot));
