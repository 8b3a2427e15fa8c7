import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { AlreadyClaimedDetails, OrderDetail, OrderPerson, OrderSummary } from '@shopcrew/shared';
import { claimOrder, fetchDuty, fetchOrder, fetchOrders, updateDuty } from '@/api/orders';
import { asApiError, type ApiError } from '@/api/http';
import { DEFAULT_VIEW, filtersKey, listQuery, toSummary, type OrderFilters } from '@/composables/orders';
import { loadable } from './loadable';
import { pagedList } from './paged-list';

const PAGE_SIZE = 20;

/** What 认领 came to: the order is the member's, or someone was quicker (409 already_claimed). */
export type ClaimResult = { claimed: true; order: OrderDetail } | { claimed: false; by: OrderPerson | null; message: string };

/** The claim that lost (409 already_claimed): who holds the order and the server's sentence; null for any other error. */
export function claimConflict(error: ApiError): { by: OrderPerson | null; message: string } | null {
  if (error.status !== 409 || error.code !== 'already_claimed') return null;
  const details = error.details as Partial<AlreadyClaimedDetails> | undefined;
  const by = details?.assignee && typeof details.assignee.name === 'string' ? details.assignee : null;
  return { by, message: error.message };
}

/**
 * 订单 list: the orders matching the filters (view 待认领 / 我的 / 全部, shop, status, order number), a page at
 * a time (GET /api/orders, `nextCursor`), 认领 from a row, and the member's 在岗 switch (GET/PUT /api/orders/duty).
 * Rows are kept fresh from the answers of the detail page's actions (`patchRow`).
 */
export const useOrdersStore = defineStore('orders', () => {
  const { filters, items, nextCursor, state, error, loadingMore, moreError, load, refresh, loadMore, patchRow } = pagedList<OrderFilters, OrderSummary>({
    initial: { view: DEFAULT_VIEW },
    key: filtersKey,
    fetch: (filters, cursor) => fetchOrders(listQuery(filters, cursor, PAGE_SIZE)),
    id: (o) => o.orderSn,
    toRow: toSummary,
  });
  /** Rows whose 认领 is on its way. */
  const claiming = ref<Record<string, boolean>>({});

  /**
   * 认领 from the list. The row then shows its new holder (it leaves 待认领 on the next refresh). When someone
   * was quicker the row is reloaded and the result says who; other failures throw ApiError.
   */
  async function claim(orderSn: string): Promise<ClaimResult> {
    claiming.value[orderSn] = true;
    try {
      const order = await claimOrder(orderSn);
      patchRow(order);
      return { claimed: true, order };
    } catch (e) {
      const err = asApiError(e);
      const conflict = claimConflict(err);
      if (!conflict) throw err;
      await fetchOrder(orderSn).then(patchRow, () => undefined);
      return { claimed: false, ...conflict };
    } finally {
      delete claiming.value[orderSn];
    }
  }

  // ---- 在岗 ----

  /** Whether the member is on duty (round-robin gives orders only to those who are); null until loaded. */
  const onDuty = ref<boolean | null>(null);
  const duty = loadable(
    () => fetchDuty(),
    (data) => (onDuty.value = data.onDuty),
  );
  const loadDuty = (force = false) => (duty.state.value === 'done' && !force ? Promise.resolve() : duty.load());
  const savingDuty = ref(false);

  /** The 在岗 switch. Throws ApiError; the switch keeps its old position then. */
  async function setDuty(next: boolean): Promise<boolean> {
    savingDuty.value = true;
    try {
      const saved = await updateDuty(next);
      onDuty.value = saved.onDuty;
      return saved.onDuty;
    } catch (e) {
      throw asApiError(e);
    } finally {
      savingDuty.value = false;
    }
  }

  return {
    filters,
    items,
    nextCursor,
    state,
    error,
    loadingMore,
    moreError,
    claiming,
    load,
    refresh,
    loadMore,
    patchRow,
    claim,
    onDuty,
    dutyState: duty.state,
    dutyError: duty.error,
    loadDuty,
    savingDuty,
    setDuty,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useOrdersStore, import.meta.hot));
