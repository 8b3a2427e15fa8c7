import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { AftersalesPolicy } from '@shopcrew/shared';
import { fetchPolicy, savePolicy } from '@/api/cases';
import { asApiError, type ApiError } from '@/api/http';
import { policyInput } from '@/composables/cases';
import type { LoadState } from '@/types';

/**
 * 售后规则: one shop's after-sales policy at a time (GET /api/aftersales/policies/:shopId): the refund approval
 * threshold and reasons, deadlines per case type, the reminder, business hours and holidays; `save()` puts it
 * back (PUT). Switching shops drops answers for the one before.
 */
export const useAftersalesPolicyStore = defineStore('aftersalesPolicy', () => {
  const shopId = ref<string | null>(null);
  const policy = ref<AftersalesPolicy | null>(null);
  const state = ref<LoadState>('idle');
  const error = ref<ApiError | null>(null);
  const saving = ref(false);

  let generation = 0;

  /** The policy of `shop` (again when forced, or for another shop). */
  async function load(shop: string, force = false): Promise<void> {
    if (shop === shopId.value && !force && (state.value === 'done' || state.value === 'loading')) return;
    const mine = ++generation;
    if (shop !== shopId.value) policy.value = null;
    shopId.value = shop;
    state.value = 'loading';
    error.value = null;
    try {
      const data = await fetchPolicy(shop);
      if (mine !== generation) return;
      policy.value = data;
      state.value = 'done';
    } catch (e) {
      if (mine !== generation) return;
      error.value = asApiError(e);
      state.value = 'error';
    }
  }

  /** Saves `next` for its shop; the answer becomes the policy shown. Throws ApiError (422 with the server's reason). */
  async function save(next: AftersalesPolicy): Promise<AftersalesPolicy> {
    saving.value = true;
    try {
      const saved = await savePolicy(next.shopId, policyInput(next));
      if (saved.shopId === shopId.value) policy.value = saved;
      return saved;
    } catch (e) {
      throw asApiError(e);
    } finally {
      saving.value = false;
    }
  }

  return { shopId, policy, state, error, saving, load, save };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAftersalesPolicyStore, import.meta.hot));
