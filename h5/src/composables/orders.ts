import {
  ORDER_STATUSES,
  ORDER_VIEWS,
  type AssigneeOption,
  type AssignmentRule,
  type Money,
  type OrderDetail,
  type OrderStatus,
  type OrderSummary,
  type OrderTimelineEntry,
  type OrderView,
  type ShipInput,
  type ShipMode,
  type ShippingOptions,
} from '@shopcrew/shared';

/**
 * The rules behind the 订单 pages that need no Vue, no store and no messages: filters ⇄ URL query, ship-by
 * urgency, money, the tracking-number poll's back-off, the ship form's answer, the assignee picker's order.
 * Pure, so test/unit/h5/orders.test.ts runs them as they are.
 */

// ---- filters ⇄ URL query (/orders?view=mine&shop=…&status=…&q=…) ----

export interface OrderFilters {
  view: OrderView;
  shop?: string;
  status?: OrderStatus;
  /** Part of an order number. */
  q?: string;
}

/** 待认领 first: the inbox of whoever opens the tab. */
export const DEFAULT_VIEW: OrderView = 'unclaimed';

type QueryValue = string | null | readonly (string | null)[] | undefined;

const first = (v: QueryValue): string | undefined => {
  const value = Array.isArray(v) ? v[0] : v;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/** The filters a URL query asks for; unknown views and statuses are ignored (a stale or hand-made link still opens). */
export function filtersFromQuery(query: Readonly<Record<string, QueryValue>>): OrderFilters {
  const view = first(query['view']);
  const status = first(query['status']);
  const shop = first(query['shop']);
  const q = first(query['q']);
  return {
    view: view && (ORDER_VIEWS as readonly string[]).includes(view) ? (view as OrderView) : DEFAULT_VIEW,
    ...(shop ? { shop } : {}),
    ...(status && (ORDER_STATUSES as readonly string[]).includes(status) ? { status: status as OrderStatus } : {}),
    ...(q ? { q } : {}),
  };
}

/** The URL query for `filters`: only what is set, the default view left out (so /orders is the inbox). */
export function queryFromFilters(filters: OrderFilters): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.view !== DEFAULT_VIEW) query['view'] = filters.view;
  if (filters.shop) query['shop'] = filters.shop;
  if (filters.status) query['status'] = filters.status;
  const q = filters.q?.trim();
  if (q) query['q'] = q;
  return query;
}

/** One string per distinct filter set (whether a load is for the list on screen). */
export function filtersKey(filters: OrderFilters): string {
  return JSON.stringify([filters.view, filters.shop ?? '', filters.status ?? '', filters.q?.trim() ?? '']);
}

/** Filters beyond the view (shop, status, search): the empty list then says "nothing matches", not "nothing to do". */
export function isFiltered(filters: OrderFilters): boolean {
  return !!(filters.shop || filters.status || filters.q?.trim());
}

/** GET /api/orders's query for one page. */
export function listQuery(filters: OrderFilters, cursor: string | null, limit: number): Record<string, string | number | undefined> {
  return {
    view: filters.view,
    shop: filters.shop,
    status: filters.status,
    q: filters.q?.trim() || undefined,
    cursor: cursor ?? undefined,
    limit,
  };
}

// ---- list rows ----

/**
 * The one-tap 认领 on a row of 待认领. Rows carry no `can`, so the list asks the permission table:
 * the member may claim orders of the row's shop, and nobody holds it yet.
 */
export function offersClaim(view: OrderView, order: Pick<OrderSummary, 'shopId' | 'assignee'>, mayClaim: (shopId: string) => boolean): boolean {
  return view === 'unclaimed' && !order.assignee && mayClaim(order.shopId);
}

/** The fields of a list row, taken from a fresher summary or detail (claim, assign, ship answers). */
export function toSummary(order: OrderSummary): OrderSummary {
  const { orderSn, shopId, shopName, status, buyer, total, itemCount, assignee, claimedAt, createTime, updateTime, shipBy, tags } = order;
  return { orderSn, shopId, shopName, status, buyer, total, itemCount, assignee, claimedAt, createTime, updateTime, shipBy, tags };
}

// ---- ship-by ----

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface ShipByInfo {
  /** The deadline has passed. */
  overdue: boolean;
  /** Less than 24 hours left (or overdue): shown in red. */
  urgent: boolean;
  /** How far the deadline is, either way, in the largest unit that fits (hours up to 2 days). */
  n: number;
  unit: 'minutes' | 'hours' | 'days';
}

/** How close the ship-by deadline is; null without one (or with a time that does not parse). */
export function shipByInfo(shipBy: string | null | undefined, now = Date.now()): ShipByInfo | null {
  if (!shipBy) return null;
  const at = Date.parse(shipBy);
  if (Number.isNaN(at)) return null;
  const diff = at - now;
  const abs = Math.abs(diff);
  const overdue = diff < 0;
  const urgent = diff < DAY;
  if (abs < HOUR) return { overdue, urgent, n: Math.max(1, Math.floor(abs / MINUTE)), unit: 'minutes' };
  if (abs < 2 * DAY) return { overdue, urgent, n: Math.floor(abs / HOUR), unit: 'hours' };
  return { overdue, urgent, n: Math.floor(abs / DAY), unit: 'days' };
}

// ---- money ----

/** `S$12.30`, `¥1,234.00`: the amount with its currency in `locale`; an unknown currency code as `12.30 XYZ`. */
export function formatMoney(money: Money, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(money.amount);
  } catch {
    return `${money.amount.toFixed(2)} ${money.currency}`;
  }
}

// ---- the tracking number after 发货 ----

/**
 * The waits between polls of GET /api/orders/:orderSn until the marketplace has the tracking number:
 * doubling from `firstMs` up to `maxMs`, as long as they add up to at most `totalMs`
 * (2 s, 4 s, 8 s, 16 s, 30 s, 30 s, 30 s: two minutes).
 */
export function backoffDelays(firstMs = 2_000, maxMs = 30_000, totalMs = 120_000): number[] {
  const delays: number[] = [];
  let elapsed = 0;
  for (let d = firstMs; elapsed + Math.min(d, maxMs) <= totalMs; d *= 2) {
    const delay = Math.min(d, maxMs);
    delays.push(delay);
    elapsed += delay;
  }
  return delays;
}

export const TRACKING_POLL_DELAYS: readonly number[] = backoffDelays();

/** Statuses after which no tracking number is coming. */
const NO_TRACKING: readonly OrderStatus[] = ['IN_CANCEL', 'CANCELLED', 'COMPLETED'];

/**
 * The order was shipped (here, just now, or its timeline says so) and the marketplace has not given its
 * tracking number yet: the detail page shows 运单号获取中… and polls.
 */
export function awaitingTracking(order: Pick<OrderDetail, 'trackingNumber' | 'status' | 'timeline'> | null, justShipped = false): boolean {
  if (!order || order.trackingNumber || NO_TRACKING.includes(order.status)) return false;
  return justShipped || order.timeline.some((e) => e.kind === 'shipped');
}

/** The timeline newest first, whatever order it came in (equal times keep theirs). */
export function newestFirst(timeline: readonly OrderTimelineEntry[]): OrderTimelineEntry[] {
  return timeline
    .map((entry, i) => ({ entry, i, at: Date.parse(entry.at) }))
    .sort((a, b) => b.at - a.at || b.i - a.i)
    .map((x) => x.entry);
}

// ---- the ship form ----

export interface ShipDraft {
  mode: ShipMode | null;
  addressId: number | null;
  pickupTimeId: string | null;
  branchId: number | null;
  trackingNumber: string;
}

export type ShipDraftError = 'mode' | 'address' | 'timeSlot' | 'branch' | 'trackingNumber';

export const TRACKING_NUMBER_MAX = 64;

/** The form as it opens: whatever has only one choice is chosen. */
export function initialShipDraft(options: ShippingOptions): ShipDraft {
  const addresses = options.pickup?.addresses ?? [];
  const address = addresses.length === 1 ? addresses[0]! : null;
  const branches = options.dropoff?.branches ?? [];
  return {
    mode: options.modes.length === 1 ? options.modes[0]! : null,
    addressId: address?.addressId ?? null,
    pickupTimeId: address?.timeSlots.length === 1 ? address.timeSlots[0]!.pickupTimeId : null,
    branchId: branches.length === 1 ? branches[0]!.branchId : null,
    trackingNumber: '',
  };
}

/** The pickup time slots of the chosen address. */
export function timeSlotsFor(options: ShippingOptions, addressId: number | null) {
  return options.pickup?.addresses.find((a) => a.addressId === addressId)?.timeSlots ?? [];
}

/** POST /api/orders/:orderSn/ship's body for the form, or the first field still missing. */
export function shipInput(draft: ShipDraft, options: ShippingOptions): { input: ShipInput } | { error: ShipDraftError } {
  const mode = draft.mode;
  if (!mode || !options.modes.includes(mode)) return { error: 'mode' };
  if (mode === 'pickup') {
    if (draft.addressId === null || !options.pickup?.addresses.some((a) => a.addressId === draft.addressId)) return { error: 'address' };
    if (!draft.pickupTimeId || !timeSlotsFor(options, draft.addressId).some((s) => s.pickupTimeId === draft.pickupTimeId)) return { error: 'timeSlot' };
    return { input: { mode, addressId: draft.addressId, pickupTimeId: draft.pickupTimeId } };
  }
  if (mode === 'dropoff') {
    if (draft.branchId === null || !options.dropoff?.branches.some((b) => b.branchId === draft.branchId)) return { error: 'branch' };
    return { input: { mode, branchId: draft.branchId } };
  }
  const trackingNumber = draft.trackingNumber.trim();
  if (!trackingNumber || trackingNumber.length > TRACKING_NUMBER_MAX || /\s/.test(trackingNumber)) return { error: 'trackingNumber' };
  return { input: { mode, trackingNumber } };
}

// ---- the assignee picker ----

/** Members matching `query` (name or account), on-duty ones first, then those with fewer open orders. */
export function sortAssignees(options: readonly AssigneeOption[], query = ''): AssigneeOption[] {
  const q = query.trim().toLowerCase();
  return options
    .filter((o) => !q || o.name.toLowerCase().includes(q) || o.userid.toLowerCase().includes(q))
    .map((o, i) => ({ o, i }))
    .sort((a, b) => Number(b.o.onDuty) - Number(a.o.onDuty) || a.o.openOrders - b.o.openOrders || a.i - b.i)
    .map((x) => x.o);
}

// ---- shops ----

export const ASSIGNMENT_CAP_MIN = 1;
export const ASSIGNMENT_CAP_MAX = 200;

/** The rule as PUT /api/shops/:shopId/assignment takes it: the cap a whole number in 1–200. */
export function normalizeRule(rule: AssignmentRule): AssignmentRule {
  const cap = Number.isFinite(rule.cap) ? Math.round(rule.cap) : ASSIGNMENT_CAP_MIN;
  return { mode: rule.mode, cap: Math.min(ASSIGNMENT_CAP_MAX, Math.max(ASSIGNMENT_CAP_MIN, cap)) };
}

/** Whole days until a shop's authorization ends (0 on its last day, negative after); null without a date. */
export function daysUntil(iso: string | null, now = Date.now()): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : Math.floor((at - now) / DAY);
}
