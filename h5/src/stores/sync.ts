import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { SyncStatusResponse } from '@shopcrew/shared';
import { fetchSyncStatus, startSync } from '@/api/admin';
import { ApiError, asApiError } from '@/api/http';
import { loadable } from './loadable';

/** 通讯录同步: runs and whether one is executing (GET /api/org/sync), 立即同步 (POST). */
export const useSyncStore = defineStore('sync', () => {
  const status = ref<SyncStatusResponse | null>(null);
  /** Errors are kept, never thrown; the last status stays on screen while a refresh runs. */
  const { state, error, load } = loadable(
    () => fetchSyncStatus(),
    (data) => (status.value = data),
  );
  const starting = ref(false);

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
