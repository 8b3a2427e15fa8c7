import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { SyncStatusResponse } from '@shopcrew/shared';
import { fetchSyncStatus, startSync } from '@/api/admin';
import { ApiError } from '@/api/http';
import type { LoadState } from '@/types';

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'unknown', String(e)));

/** 通讯录同步: runs and whether one is executing (GET /api/org/sync), 立即同步 (POST). */
export const useSyncStore = defineStore('sync', () => {
  const status = ref<SyncStatusResponse | null>(null);
  const state = ref<LoadState>('idle');
  const error = ref<ApiError | null>(null);
  const starting = ref(false);

  let inflight: Promise<void> | null = null;

  /** Errors are kept, never thrown; the last status stays on screen while a refresh runs. */
  function load(): Promise<void> {
    if (inflight) return inflight;
    state.value = 'loading';
    error.value = null;
    inflight = fetchSyncStatus()
      .then((data) => {
        status.value = data;
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

  /**
   * 立即同步. 'started', or 'running' when one was already under way (409 sync_running: not an error
   * for the member, they see its progress). Other failures throw ApiError. Reloads the status either way.
   */
  async function start(): Promise<'started' | 'running'> {
    starting.value = true;
    try {
      await startSync();
      return 'started';
    } catch (e) {
      if (e instanceof ApiError && e.code === 'sync_running') return 'running';
      throw asApiError(e);
    } finally {
      starting.value = false;
      await load();
    }
  }

  return { status, state, error, starting, load, start };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSyncStore, import.meta.hot));
