import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { HomeCounter } from '@shopcrew/shared';
import { takeBootstrap } from '@/api/bootstrap';
import { fetchHome } from '@/api/home';
import { loadable } from './loadable';

/** The home page's "我的工作" counters, contributed by the server's modules (GET /api/home). */
export const useHomeStore = defineStore('home', () => {
  /** Embedded in index.html by the server for a signed-in page load (counts as just loaded). */
  const seed = takeBootstrap('home');
  /** Last answer, null before the first; kept while a refresh runs so the cards do not flash. */
  const counters = ref<HomeCounter[] | null>(seed?.counters ?? null);
  let loadedAt = seed ? Date.now() : 0;
  const home = loadable(
    (redirectOn401?: boolean) => fetchHome({ redirectOn401 }),
    (data) => {
      counters.value = data.counters;
      loadedAt = Date.now();
    },
    seed ? 'done' : 'idle',
  );

  /**
   * Fetch the counters. Concurrent calls share one request; `maxAgeMs` skips the request when the
   * counters are at most that old (the prefetch started by the auth guard). Errors are kept in
   * `error`, never thrown; `redirectOn401: false` is for that prefetch, which runs before the
   * session is known (the guard handles a 401 itself).
   */
  function load(options: { maxAgeMs?: number; redirectOn401?: boolean } = {}): Promise<void> {
    const fresh = options.maxAgeMs !== undefined && counters.value && Date.now() - loadedAt <= options.maxAgeMs;
    return fresh && home.state.value !== 'loading' ? Promise.resolve() : home.load(options.redirectOn401);
  }

  return { counters, state: home.state, error: home.error, load };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useHomeStore, import.meta.hot));
