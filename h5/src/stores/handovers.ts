import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { Handover } from '@shopcrew/shared';
import { fetchHandovers } from '@/api/sop';
import { asApiError, type ApiError } from '@/api/http';
import type { LoadState } from '@/types';

/** 工作交接: the handovers of one member who left (GET /api/handovers/:userid, newest first); owners and the member's leads. */
export const useHandoversStore = defineStore('handovers', () => {
  const userid = ref<string | null>(null);
  const items = ref<Handover[]>([]);
  const state = ref<LoadState>('idle');
  const error = ref<ApiError | null>(null);
  let generation = 0;

  async function load(next: string): Promise<void> {
    const mine = ++generation;
    if (userid.value !== next) items.value = [];
    userid.value = next;
    state.value = 'loading';
    error.value = null;
    try {
      const data = await fetchHandovers(next);
      if (mine !== generation) return;
      items.value = data.items;
      state.value = 'done';
    } catch (e) {
      if (mine !== generation) return;
      error.value = asApiError(e);
      state.value = 'error';
    }
  }

  return { userid, items, state, error, load };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useHandoversStore, import.meta.hot));
