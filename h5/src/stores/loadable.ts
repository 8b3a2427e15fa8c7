import { ref } from 'vue';
import { asApiError, type ApiError } from '@/api/http';
import type { LoadState } from '@/types';

/**
 * The load cycle the stores share: `state` (idle → loading → done | error) and the last `error`
 * next to the data, and `load()`, which runs `fetch` and hands the answer to `apply`. Concurrent
 * calls share the request in flight; errors are kept in `error`, never thrown. `initial` is 'done'
 * for a store seeded from the page (bootstrap).
 *
 *   const summary = ref<Summary | null>(null);
 *   const { state, error, load } = loadable(fetchSummary, (data) => (summary.value = data));
 */
export function loadable<Args extends unknown[], T>(fetch: (...args: Args) => Promise<T>, apply: (data: T) => void, initial: LoadState = 'idle') {
  const state = ref<LoadState>(initial);
  const error = ref<ApiError | null>(null);
  let inflight: Promise<void> | null = null;

  function load(...args: Args): Promise<void> {
    if (inflight) return inflight;
    state.value = 'loading';
    error.value = null;
    inflight = fetch(...args)
      .then((data) => {
        apply(data);
        state.value = 'done';
      })
      .catch((e: unknown) => {
        error.value = asApiError(e);
        state.value = 'error';
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  }

  return { state, error, load };
}
