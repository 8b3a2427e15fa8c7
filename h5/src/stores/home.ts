import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { HomeSummary } from '@shopcrew/shared';
import { takeBootstrap } from '@/api/bootstrap';
import { fetchHomeSummary } from '@/api/home';
import { loadable } from './loadable';

/** The home page's "my work" counts (GET /api/home). */
export const useHomeStore = defineStore('home', () => {
  /** Embedded in index.html by the server for a signed-in page load (counts as just loaded). */
  const seed = takeBootstrap('home');
  /** Last summary; kept while a refresh runs so the cards do not flash. */
  const summary = ref<HomeSummary | null>(seed ?? null);
  let loadedAt = seed ? Date.now() : 0;
  const counts = loadable(
    (redirectOn401?: boolean) => fetchHomeSummary({ redirectOn401 }),
    (data) => {
      summary.value = data;
      loadedAt = Date.now();
    },
    seed ? 'done' : 'idle',
  );

  /**
   * Fetch the counts. Concurrent calls share one request; `maxAgeMs` skips the request when the
   * counts are at most that old (the prefetch started by the auth guard). Errors are kept in
   * `error`, never thrown; `redirectOn401: false` is for that prefetch, which runs before the
   * session is known (the guard handles a 401 itself).
   */
  function load(options: { maxAgeMs?: number; redirectOn401?: boolean } = {}): Promise<void> {
    const fresh = options.maxAgeMs !== undefined && summary.value && Date.now() - loadedAt <= options.maxAgeMs;
    return fresh && counts.state.value !== 'loading' ? Promise.resolve() : counts.load(options.redirectOn401);
  }

  /** Forget the member's data (sign-out). */
  function clear(): void {
    summary.value = null;
    loadedAt = 0;
    counts.reset();
  }

  return { summary, state: counts.state, error: counts.error, load, clear };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useHomeStore, import.meta.hot));
