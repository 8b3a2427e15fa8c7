/**
 * The orders and shops API (server/src/modules/orders, server/src/modules/shops), shared by server and H5.
 * Times are ISO 8601 strings in UTC. Statuses are Shopee's `order_status` values as they are
 * (https://open.shopee.com/developer-guide/229); other marketplaces map onto them in their adapter.
 */

export const ORDER_STATUSES = [
  'UNPAID',
  'READY_TO_SHIP',
  'PROCESSED',
  'SHIPPED',
  'TO_CONFIRM_RECEIVE',
  'COMPLETED',
  'RETRY_SHIP',
  'IN_CANCEL',
  'CANCELLED',
  'TO_RETURN',
  'INVOICE_PENDING',
  'PENDING',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** zh-CN names of the statuses, for texts the server writes (timeline, messages); the H5 has its own per locale. */
export const ORDER_STATUS_ZH: Readonly<Record<OrderStatus, string>> = {
  UNPAID: '待付款',
  READY_TO_SHIP: '待发货',
  PROCESSED: '已安排发货',
  SHIPPED: '已发货',
  TO_CONFIRM_RECEIVE: '待收货',
  COMPLETED: '已完成',
  RETRY_SHIP: '重新发货',
  IN_CANCEL: '取消中',
  CANCELLED: '已取消',
  TO_RETURN: '退货中',
  INVOICE_PENDING: '待开票',
  PENDING: '待处理',
};

export const ORDER_VIEWS = ['unclaimed', 'mine', 'all'] as const;
/** 待认领 (READY_TO_SHIP or RETRY_SHIP and nobody holds it) / 我的 (held by me) / 全部. */
export type OrderView = (typeof ORDER_VIEWS)[number];

/** An amount as a decimal number in the currency's major unit (12.34), with its ISO 4217 code. */
export interface Money {
  amount: number;
  currency: string;
}

export interface OrderPerson {
  userid: string;
  name: string;
}

/** One row of GET /api/orders. `buyer` and `total` are null where the member's role may not see them. */
export interface OrderSummary {
  orderSn: string;
  shopId: string;
  shopName: string;
  status: OrderStatus;
  buyer: string | null;
  total: Money | null;
  itemCount: number;
  assignee: OrderPerson | null;
  claimedAt: string | null;
  createTime: string;
  updateTime: string;
  shipBy: string | null;
  /** Labels set by hand or by an automation rule (大额, 加急 …). */
  tags: string[];
}

/** GET /api/orders?shop=&status=&view=&q=&cursor=&limit= (newest first, keyset-paginated). */
export interface OrderListResponse {
  items: OrderSummary[];
  nextCursor: string | null;
}

export interface OrderItemView {
  itemId: string;
  name: string;
  sku: string | null;
  variation: string | null;
  quantity: number;
  /** Unit price after discounts; null where amounts are hidden. */
  price: Money | null;
}

export interface OrderPackageView {
  packageNumber: string;
  logisticsStatus: string;
  carrier: string | null;
}

export const TIMELINE_KINDS = ['created', 'status', 'claimed', 'assigned', 'released', 'shipped', 'tracking', 'note'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface OrderTimelineEntry {
  at: string;
  kind: TimelineKind;
  /** Who did it; null for the marketplace (a push, the reconciliation sweep). */
  actor: OrderPerson | null;
  /** zh-CN sentence, e.g. '李娜 认领了订单' or '状态 READY_TO_SHIP → PROCESSED'. */
  text: string;
  from?: string | null;
  to?: string | null;
}

/** What the member may do with this order now (the H5 shows exactly these buttons). */
export interface OrderAbilities {
  claim: boolean;
  release: boolean;
  assign: boolean;
  ship: boolean;
}

/** GET /api/orders/:orderSn, and the answer of claim / release / assign / ship. */
export interface OrderDetail extends OrderSummary {
  items: OrderItemView[];
  package: OrderPackageView | null;
  trackingNumber: string | null;
  messageToSeller: string | null;
  timeline: OrderTimelineEntry[];
  can: OrderAbilities;
}

/** 409 already_claimed: error.details of the claim that lost. */
export interface AlreadyClaimedDetails {
  assignee: OrderPerson;
}

export type ShipMode = 'pickup' | 'dropoff' | 'non_integrated';

/** GET /api/orders/:orderSn/shipping: what `ship` needs (from the marketplace's get_shipping_parameter). */
export interface ShippingOptions {
  modes: ShipMode[];
  pickup: { addresses: Array<{ addressId: number; address: string; timeSlots: Array<{ pickupTimeId: string; text: string }> }> } | null;
  dropoff: { branches: Array<{ branchId: number; name: string; address: string }> } | null;
}

/** POST /api/orders/:orderSn/ship. non_integrated = the seller's own courier: the tracking number is typed or scanned. */
export interface ShipInput {
  mode: ShipMode;
  addressId?: number;
  pickupTimeId?: string;
  branchId?: number;
  trackingNumber?: string;
}

/** POST /api/orders/:orderSn/assign. */
export interface AssignInput {
  userid: string;
}

/** Members who may be given an order of this shop: GET /api/orders/:orderSn/assignees. */
export interface AssigneeOption extends OrderPerson {
  onDuty: boolean;
  openOrders: number;
}

export type ShopStatus = 'active' | 'expiring' | 'needs_reauth' | 'revoked';

export interface ShopView {
  shopId: string;
  platform: 'shopee';
  name: string;
  region: string;
  currency: string;
  status: ShopStatus;
  authExpiresAt: string | null;
  assignment: AssignmentRule;
}

/** GET /api/shops. `configured` false: no marketplace credentials (SHOPEE_PARTNER_ID) outside the demo. */
export interface ShopsResponse {
  configured: boolean;
  shops: ShopView[];
  /** Browser navigation (not XHR) that starts linking a Shopee shop; present for members with settings:manage. */
  linkUrl?: string;
}

/** Per shop: the claim pool (manual) or round-robin among on-duty eligible members, each with at most `cap` open orders. */
export interface AssignmentRule {
  mode: 'manual' | 'round_robin';
  cap: number;
}

/** GET/PUT /api/orders/duty: whether the signed-in member is on duty (round-robin gives orders only to those who are). */
export interface DutyView {
  onDuty: boolean;
}
