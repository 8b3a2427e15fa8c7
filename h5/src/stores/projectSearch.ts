import { acceptHMRUpdate, defineStore } from 'pinia';
import type { SearchHit } from '@shopcrew/shared';
import { searchProjects } from '@/api/projects';
import { searchKey, searchQuery, type SearchFilters } from '@/composables/projects';
import { pagedList } from './paged-list';

const PAGE_SIZE = 20;

/**
 * 搜索 (projects, tasks, comments, files): the hits for a query and a kind, newest first, a page at a time
 * (GET /api/search). No words, no request: an empty answer. An answer for words typed before is dropped.
 */
export const useProjectSearchStore = defineStore('projectSearch', () => {
  const list = pagedList<SearchFilters, SearchHit>({
    initial: { q: '' },
    key: searchKey,
    fetch: (filters, cursor) => (filters.q.trim() ? searchProjects(searchQuery(filters, cursor, PAGE_SIZE)) : Promise.resolve({ items: [], nextCursor: null })),
    id: (hit) => `${hit.kind}:${hit.id}`,
    toRow: (hit) => hit,
  });
  return { ...list };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useProjectSearchStore, import.meta.hot));
