import { ref, type Ref } from 'vue';
import { asApiError, type ApiError } from '@/api/http';
import type { LoadState } from '@/types';

export interface Page<Row> {
  items: Row[];
  nextCursor: string | null;
}

export interface PagedListOptions<F, Row> {
  initial: F;
  /** Filters with the same key show the same rows (kept on screen while they reload). */
  key(filters: F): string;
  fetch(filters: F, cursor: string | null): Promise<Page<Row>>;
  /** A row's identity, for de-duplicating appended pages and patching a row. */
  id(row: Row): string | number;
  /** A detail answer (a superset of a row) back to a row's shape. */
  toRow(row: Row): Row;
}

/**
 * The keyset-paginated list behind the 订单 and 售后 tabs: the first page for a set of filters (a slow answer for
 * other filters, or an older refresh, is dropped), 下拉刷新, the next page appended without duplicates, and a row
 * patched from an action's answer.
 */
export function pagedList<F, Row>(o: PagedListOptions<F, Row>) {
  const filters = ref(o.initial) as Ref<F>;
  const items = ref<Row[]>([]) as Ref<Row[]>;
  const nextCursor = ref<string | null>(null);
  const state = ref<LoadState>('idle');
  const error = ref<ApiError | null>(null);
  const loadingMore = ref(false);
  const moreError = ref<ApiError | null>(null);
  /** Bumped by every first-page load, so a slow answer for other filters (or an older refresh) is dropped. */
  let generation = 0;

  /** The first page for `next` (replaces the list; rows of the same filters stay on screen while it loads). */
  async function load(next: F = filters.value): Promise<void> {
    const mine = ++generation;
    if (o.key(next) !== o.key(filters.value)) {
      items.value = [];
      nextCursor.value = null;
    }
    filters.value = next;
    state.value = 'loading';
    error.value = null;
    moreError.value = null;
    try {
      const page = await o.fetch(next, null);
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
      const page = await o.fetch(filters.value, nextCursor.value);
      if (mine !== generation) return;
      const seen = new Set(items.value.map(o.id));
      items.value = [...items.value, ...page.items.filter((r) => !seen.has(o.id(r)))];
      nextCursor.value = page.nextCursor;
    } catch (e) {
      if (mine === generation) moreError.value = asApiError(e);
    } finally {
      loadingMore.value = false;
    }
  }

  /** A row as the server has it now (after an action here or on the detail page); rows not listed are left alone. */
  function patchRow(row: Row): void {
    const i = items.value.findIndex((r) => o.id(r) === o.id(row));
    if (i >= 0) items.value.splice(i, 1, o.toRow(row));
  }

  return { filters, items, nextCursor, state, error, loadingMore, moreError, load, refresh, loadMore, patchRow };
}
