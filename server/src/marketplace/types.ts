/**
 * The marketplace layer: what the product needs from a marketplace (Shopee first, Taobao next), in the product's own
 * words. Only the adapters under marketplace/<platform>/ know a platform's paths, field names and signatures.
 * Times are epoch ms; amounts are decimal numbers in the currency's major unit.
 */
import type { OrderStatus } from '@shopcrew/shared';

export type Platform = 'shopee';

/** What linking a shop yields: its tokens and when they end. */
export interface ShopGrant {
  shopId: string;
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
}

export interface ShopProfile {
  name: string;
  region: string;
  currency: string;
  /** When the seller's authorization ends (Shopee: 365 days after it was given). */
  authExpiresAt: number | null;
}

export interface MarketOrderItem {
  itemId: string;
  name: string;
  sku: string | null;
  variation: string | null;
  quantity: number;
  price: number;
}

export interface MarketPackage {
  packageNumber: string;
  logisticsStatus: string;
  carrier: string | null;
}

/** An order as the marketplace reports it now. */
export interface MarketOrder {
  orderSn: string;
  shopId: string;
  status: OrderStatus;
  currency: string;
  total: number;
  /** As the marketplace shows it (often masked, e.g. `j*****n`). */
  buyer: string | null;
  items: MarketOrderItem[];
  packages: MarketPackage[];
  trackingNumber: string | null;
  messageToSeller: string | null;
  createTime: number;
  updateTime: number;
  shipBy: number | null;
}

/** The marketplace's deadlines on a return (Shopee: https://open.shopee.com/developer-guide/227), epoch ms. */
export const RETURN_DEADLINES = [
  'due_date',
  'return_ship_due_date',
  'return_seller_due_date',
  'offer_due_date',
  'seller_evidence_deadline',
  'seller_compensation_due_date',
] as const;
export type ReturnDeadlineKey = (typeof RETURN_DEADLINES)[number];

/** A return or refund request as the marketplace reports it now. */
export interface MarketReturn {
  returnSn: string;
  orderSn: string;
  shopId: string;
  /** The marketplace's status (Shopee: REQUESTED, ACCEPTED, CANCELLED, JUDGING, CLOSED, PROCESSING, SELLER_DISPUTE). */
  status: string;
  reason: string | null;
  textReason: string | null;
  /** Refund only, or return and refund. */
  solution: 'refund_only' | 'return_refund';
  refund: number;
  currency: string;
  negotiationStatus: string | null;
  deadlines: Partial<Record<ReturnDeadlineKey, number>>;
  createTime: number;
  updateTime: number;
}

/** A page of order references changed in a time window, oldest cursor first. */
export interface OrderPage {
  orders: Array<{ orderSn: string }>;
  nextCursor: string | null;
}

export interface ShippingParameters {
  pickup: { addresses: Array<{ addressId: number; address: string; timeSlots: Array<{ pickupTimeId: string; text: string }> }> } | null;
  dropoff: { branches: Array<{ branchId: number; name: string; address: string }> } | null;
  nonIntegrated: boolean;
}

export type ShipRequest =
  { mode: 'pickup'; addressId: number; pickupTimeId: string } | { mode: 'dropoff'; branchId: number } | { mode: 'non_integrated'; trackingNumber: string };

/** A push the marketplace sent that was lost (not acknowledged), re-read through its API. */
export interface LostPush {
  shopId: string | null;
  code: number;
  payload: Record<string, unknown>;
}

/** One linked shop's API, tokens handled inside (refreshed under a per-shop lock). */
export interface ShopApi {
  profile(): Promise<ShopProfile>;
  /** Orders whose update_time lies in [from, to] (the adapter splits windows longer than the platform allows). */
  ordersUpdatedBetween(from: number, to: number, cursor: string | null): Promise<OrderPage>;
  orderDetails(orderSns: readonly string[]): Promise<MarketOrder[]>;
  shippingParameters(orderSn: string): Promise<ShippingParameters>;
  ship(orderSn: string, request: ShipRequest): Promise<void>;
  /** null while the logistics provider has not assigned one yet. */
  trackingNumber(orderSn: string): Promise<string | null>;
  /** Returns whose update time lies in [from, to] (windows split inside the cursor). */
  returnsUpdatedBetween(from: number, to: number, cursor: string | null): Promise<{ returns: MarketReturn[]; nextCursor: string | null }>;
  returnDetail(returnSn: string): Promise<MarketReturn>;
  /** Agree to refund (Shopee: returns/confirm), or accept the buyer's offer when one waits for an answer (accept_offer). */
  acceptReturn(returnSn: string, negotiationPending: boolean): Promise<void>;
}

/** A marketplace failure with the platform's own code, e.g. `error_auth`, `logistics.ship_order_failed`. */
export class MarketplaceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Whether trying again later may work (network, 5xx, throttling). */
    readonly retryable: boolean,
    readonly requestId: string | null = null,
  ) {
    super(message);
    this.name = 'MarketplaceError';
  }
}

/** The shop's authorization is gone (refresh refused, revoked, expired): its owner must link it again. */
export class ShopNeedsReauthorization extends Error {
  constructor(readonly shopId: string) {
    super(`shop ${shopId} needs re-authorization`);
    this.name = 'ShopNeedsReauthorization';
  }
}

/** The shop's data cannot be read at all (not linked, or its authorization is gone): a push about it is ignored, not retried. */
export function isShopUnreadable(err: unknown): boolean {
  return err instanceof ShopNeedsReauthorization || (err instanceof MarketplaceError && err.code === 'shop_not_linked');
}
