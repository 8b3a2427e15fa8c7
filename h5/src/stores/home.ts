import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { HomeSummary } from '@shopcrew/shared';
import { takeBootstrap } from '@/api/bootstrap';
import { fetchHomeSummary } from '@/api/home';
import { ApiError } from '@/api/http';
import type { LoadState } from '@/types';

/** The home page's "my work" counts (GET /api/home). */
export const useHomeStore = defineStore('home', () => {
  /** Embedded in index.html by the server for a signed-in page load (counts as just loaded). */
  const seed = takeBootstrap('home');
  /** Last summary; kept while a refresh runs so the cards do not flash. */
  const summary = ref<HomeSummary | null>(seed ?? null);
  const state = ref<LoadState>(seed ? 'done' : 'idle');
  const error = ref<ApiError | null>(null);

  let inflight: Promise<void> | null = null;
  let loadedAt = seed ? Date.now() : 0;

  /**
   * Fetch the counts. Concurrent calls share one request; `maxAgeMs` skips the request when the
   * counts are at most that old (the prefetch started by the auth guard). Errors are kept in
   * `error`, never thrown; `redirectOn401: false` is for that prefetch, which runs before the
   * session is known (the guard handles a 401 itself).
   */
  function load(options: { maxAgeMs?: number; redirectOn401?: boolean } = {}): Promise<void> {
    if (inflight) return inflight;
    if (options.maxAgeMs !== undefined && summary.value && Date.now() - loadedAt <= options.maxAgeMs) {
      return Promise.resolve();
    }
    state.value = 'loading';
    error.value = null;
    inflight = fetchHomeSummary({ redirectOn401: options.redirectOn401 })
      .then((data) => {
        summary.value = data;
        loadedAt = Date.now();
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

  /** Forget the member's data (sign-out). */
  function clear(): void {
    summary.value = null;
    loadedAt = 0;
    state.value = 'idle';
    error.value = null;
  }

  return { summary, state, error, load, clear };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useHomeStore, import.meta.hot));
