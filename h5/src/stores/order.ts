import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { AssigneeOption, OrderDetail, ShipInput, ShippingOptions } from '@shopcrew/shared';
import { assignOrder, claimOrder, fetchAssignees, fetchOrder, fetchShipping, releaseOrder, shipOrder } from '@/api/orders';
import { asApiError, type ApiError } from '@/api/http';
import type { LoadState } from '@/types';
import { claimConflict, useOrdersStore, type ClaimResult } from './orders';

export type OrderAction = 'claim' | 'release' | 'assign' | 'ship';

/**
 * One order (GET /api/orders/:orderSn) and what the member does with it: 认领, 释放, 分配 / 转交 (with the
 * members it may go to), 发货 (with the ways it can ship). Every action's answer is the order as it is now;
 * it replaces the one shown and the list's row. Opening another order starts from nothing.
 */
export const useOrderStore = defineStore('order', () => {
  const orderSn = ref<string | null>(null);
  const order = ref<OrderDetail | null>(null);
  const state = ref<LoadState>('idle');
  const error = ref<ApiError | null>(null);
  /** The action on its way (one at a time). */
  const busy = ref<OrderAction | null>(null);
  /** Orders shipped from this phone whose tracking number has not come yet (the detail page polls for it). */
  const shipped = ref<Record<string, boolean>>({});

  const assignees = ref<AssigneeOption[]>([]);
  const assigneesState = ref<LoadState>('idle');
  const assigneesError = ref<ApiError | null>(null);

  const shipping = ref<ShippingOptions | null>(null);
  const shippingState = ref<LoadState>('idle');
  const shippingError = ref<ApiError | null>(null);

  /** Bumped when another order is opened, so answers for the one before are dropped. */
  let generation = 0;

  function open(sn: string): void {
    if (orderSn.value === sn) return;
    generation++;
    orderSn.value = sn;
    order.value = null;
    state.value = 'idle';
    error.value = null;
    assignees.value = [];
    assigneesState.value = 'idle';
    assigneesError.value = null;
    shipping.value = null;
    shippingState.value = 'idle';
    shippingError.value = null;
  }

  /** The order as the server has it now, shown here and in the list. */
  function accept(next: OrderDetail): void {
    if (next.orderSn === orderSn.value) order.value = next;
    if (next.trackingNumber) delete shipped.value[next.orderSn];
    useOrdersStore().patchRow(next);
  }

  /**
   * Loads `sn`. `quiet` (the tracking poll, a reload after an action) keeps the order on screen and
   * its error out of the page: only a first load shows the loading and error states.
   */
  async function load(sn: string, { quiet = false }: { quiet?: boolean } = {}): Promise<void> {
    open(sn);
    const mine = generation;
    if (!quiet || !order.value) {
      state.value = 'loading';
      error.value = null;
    }
    try {
      const data = await fetchOrder(sn);
      if (mine !== generation) return;
      accept(data);
      state.value = 'done';
      error.value = null;
    } catch (e) {
      if (mine !== generation) return;
      if (quiet && order.value) return;
      error.value = asApiError(e);
      state.value = 'error';
    }
  }

  async function act(action: OrderAction, call: () => Promise<OrderDetail>): Promise<OrderDetail> {
    busy.value = action;
    try {
      const next = await call();
      accept(next);
      return next;
    } catch (e) {
      throw asApiError(e);
    } finally {
      busy.value = null;
    }
  }

  /** 认领. When someone was quicker (409 already_claimed) the order is reloaded and the result says who. */
  async function claim(sn: string): Promise<ClaimResult> {
    try {
      return { claimed: true, order: await act('claim', () => claimOrder(sn)) };
    } catch (e) {
      const err = asApiError(e);
      const conflict = claimConflict(err);
      if (!conflict) throw err;
      await load(sn, { quiet: true });
      return { claimed: false, ...conflict };
    }
  }

  /** 释放: back to the claim pool. Throws ApiError. */
  const release = (sn: string) => act('release', () => releaseOrder(sn));

  /** 分配 / 转交 to `userid`. Throws ApiError. */
  const assign = (sn: string, userid: string) => act('assign', () => assignOrder(sn, userid));

  /** 发货. The answer may not carry the tracking number yet: the detail page polls until it does. Throws ApiError. */
  async function ship(sn: string, input: ShipInput): Promise<OrderDetail> {
    const next = await act('ship', () => shipOrder(sn, input));
    if (!next.trackingNumber) shipped.value[sn] = true;
    return next;
  }

  /** The members the order may go to, fresh each time the picker opens. */
  async function loadAssignees(sn: string): Promise<void> {
    open(sn);
    const mine = generation;
    assigneesState.value = 'loading';
    assigneesError.value = null;
    try {
      const data = await fetchAssignees(sn);
      if (mine !== generation) return;
      assignees.value = data.members;
      assigneesState.value = 'done';
    } catch (e) {
      if (mine !== generation) return;
      assigneesError.value = asApiError(e);
      assigneesState.value = 'error';
    }
  }

  /** The ways the order can ship (the ship form). */
  async function loadShipping(sn: string): Promise<void> {
    open(sn);
    const mine = generation;
    shippingState.value = 'loading';
    shippingError.value = null;
    try {
      const data = await fetchShipping(sn);
      if (mine !== generation) return;
      shipping.value = data;
      shippingState.value = 'done';
    } catch (e) {
      if (mine !== generation) return;
      shippingError.value = asApiError(e);
      shippingState.value = 'error';
    }
  }

  return {
    orderSn,
    order,
    state,
    error,
    busy,
    shipped,
    load,
    claim,
    release,
    assign,
    ship,
    assignees,
    assigneesState,
    assigneesError,
    loadAssignees,
    shipping,
    shippingState,
    shippingError,
    loadShipping,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useOrderStore, import.meta.hot));
