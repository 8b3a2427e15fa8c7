import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AssignmentRule, ShopView } from '@shopcrew/shared';
import { fetchShops, updateAssignment } from '@/api/shops';
import { asApiError } from '@/api/http';
import { normalizeRule } from '@/composables/orders';
import { loadable } from './loadable';

/**
 * 店铺: the linked marketplace shops (GET /api/shops), whether marketplace credentials are configured at all,
 * the link that starts linking another shop, and each shop's assignment rule (PUT /api/shops/:shopId/assignment).
 * Loads once unless forced (the orders page's shop picker reads it too).
 */
export const useShopsStore = defineStore('shops', () => {
  /** false: no SHOPEE_PARTNER_ID on the server; null until loaded. */
  const configured = ref<boolean | null>(null);
  const shops = ref<ShopView[]>([]);
  /** The browser navigation that links a Shopee shop (members with settings:manage only). */
  const linkUrl = ref<string | null>(null);

  const list = loadable(
    () => fetchShops(),
    (data) => {
      configured.value = data.configured;
      shops.value = data.shops;
      linkUrl.value = data.linkUrl ?? null;
    },
  );
  const load = (force = false) => (list.state.value === 'done' && !force ? Promise.resolve() : list.load());

  const shopById = computed(() => new Map(shops.value.map((s) => [s.shopId, s])));

  /** Shops whose rule is being saved. */
  const saving = ref<Record<string, boolean>>({});

  /** Saves a shop's rule (the cap kept within 1–200); throws ApiError (422 with the server's reason). */
  async function saveAssignment(shopId: string, rule: AssignmentRule): Promise<ShopView> {
    saving.value[shopId] = true;
    try {
      const saved = await updateAssignment(shopId, normalizeRule(rule));
      const i = shops.value.findIndex((s) => s.shopId === saved.shopId);
      if (i >= 0) shops.value.splice(i, 1, saved);
      return saved;
    } catch (e) {
      throw asApiError(e);
    } finally {
      delete saving.value[shopId];
    }
  }

  return { configured, shops, linkUrl, state: list.state, error: list.error, load, shopById, saving, saveAssignment };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useShopsStore, import.meta.hot));
