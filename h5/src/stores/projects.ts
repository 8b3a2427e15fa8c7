import { acceptHMRUpdate, defineStore } from 'pinia';
import type { ProjectSummary } from '@shopcrew/shared';
import { fetchProjects } from '@/api/projects';
import { filtersKey, listQuery, toProjectSummary, type ProjectFilters } from '@/composables/projects';
import { pagedList } from './paged-list';

const PAGE_SIZE = 20;

/**
 * 项目 list: every project the member may see, or 我负责的 (mine=1), by state, newest first, a page at a time
 * (GET /api/projects, `nextCursor`). Rows are kept fresh from the project page's answers (`patchRow`).
 */
export const useProjectsStore = defineStore('projects', () => {
  const list = pagedList<ProjectFilters, ProjectSummary>({
    initial: { mine: false },
    key: filtersKey,
    fetch: (filters, cursor) => fetchProjects(listQuery(filters, cursor, PAGE_SIZE)),
    id: (project) => project.id,
    toRow: toProjectSummary,
  });
  return { ...list };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useProjectsStore, import.meta.hot));
