import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { DeliveryStatus, DeliveryView } from '@shopcrew/shared';
import { fetchDeliveries, retryDelivery } from '@/api/notifications';
import { asApiError, type ApiError } from '@/api/http';
import type { LoadState } from '@/types';

/** 投递记录: the deliveries of one status, a page at a time (GET /api/notifications/deliveries, cursor), and 重试. */
export const useDeliveriesStore = defineStore('notificationDeliveries', () => {
  const status = ref<DeliveryStatus>('dead');
  const deliveries = ref<DeliveryView[]>([]);
  const nextCursor = ref<number | null>(null);
  const state = ref<LoadState>('idle');
  const error = ref<ApiError | null>(null);
  const loadingMore = ref(false);
  const moreError = ref<ApiError | null>(null);
  /** Deliveries whose 重试 is on its way. */
  const retrying = ref<Record<number, boolean>>({});

  /** Bumped by every new status, so a slow answer for the one before is dropped. */
  let generation = 0;

  /** The first page of `next` (replaces what is shown). */
  async function load(next: DeliveryStatus = status.value): Promise<void> {
    const mine = ++generation;
    if (next !== status.value) deliveries.value = [];
    status.value = next;
    state.value = 'loading';
    error.value = null;
    moreError.value = null;
    try {
      const page = await fetchDeliveries(next);
      if (mine !== generation) return;
      deliveries.value = page.deliveries;
      nextCursor.value = page.nextCursor;
      state.value = 'done';
    } catch (e) {
      if (mine !== generation) return;
      error.value = asApiError(e);
      state.value = 'error';
    }
  }

  /** 加载更多: the next (older) page, appended. */
  async function loadMore(): Promise<void> {
    if (loadingMore.value || nextCursor.value === null) return;
    const mine = generation;
    loadingMore.value = true;
    moreError.value = null;
    try {
      const page = await fetchDeliveries(status.value, nextCursor.value);
      if (mine !== generation) return;
      deliveries.value = [...deliveries.value, ...page.deliveries];
      nextCursor.value = page.nextCursor;
    } catch (e) {
      if (mine === generation) moreError.value = asApiError(e);
    } finally {
      loadingMore.value = false;
    }
  }

  /** 重试 a dead delivery: it is queued again and shown with its new state. Throws ApiError (409 not_dead). */
  async function retry(id: number): Promise<DeliveryView> {
    retrying.value[id] = true;
    try {
      const updated = await retryDelivery(id);
      const i = deliveries.value.findIndex((d) => d.id === id);
      if (i >= 0) deliveries.value.splice(i, 1, updated);
      return updated;
    } catch (e) {
      throw asApiError(e);
    } finally {
      delete retrying.value[id];
    }
  }

  return { status, deliveries, nextCursor, state, error, loadingMore, moreError, retrying, load, loadMore, retry };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useDeliveriesStore, import.meta.hot));
