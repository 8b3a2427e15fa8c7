// The return (after-sales) model: enums and fields as Shopee's returns guide ("Return Refund Management", data
// definitions; https://open.shopee.com/developer-guide/227) and the v2.returns.get_return_detail page
// (https://open.shopee.com/documents/v2/v2.returns.get_return_detail) define them, built from an order the way a
// buyer raises a request. The status moves and every deadline length are the simulator's choices (the guide's flow
// chart is an image and no page gives durations); README "Returns" lists them.
import { snDatePrefix } from './order-factory';
import type { Order, OrderStatus } from './orders';
import type { Rng } from './random';
import { regionInfo, roundMoney } from './regions';

export const RETURN_STATUSES = ['REQUESTED', 'ACCEPTED', 'CANCELLED', 'JUDGING', 'CLOSED', 'PROCESSING', 'SELLER_DISPUTE'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const RETURN_REASONS = [
  'NONE',
  'NOT_RECEIPT',
  'WRONG_ITEM',
  'ITEM_DAMAGED',
  'DIFFERENT_DESCRIPTION',
  'MUTUAL_AGREE',
  'OTHER',
  'ITEM_WRONGDAMAGED',
  'CHANGE_MIND',
  'ITEM_MISSING',
  'EXPECTATION_FAILED',
  'ITEM_FAKE',
  'PHYSICAL_DMG',
  'FUNCTIONAL_DMG',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export const NEGOTIATION_STATUSES = ['PENDING_RESPOND', 'PENDING_BUYER_RESPOND', 'TERMINATED'] as const;
export type NegotiationStatus = (typeof NEGOTIATION_STATUSES)[number];

/** NOT_NEEDED was added on 2024-12-31 (get_return_list update log). */
export const SELLER_PROOF_STATUSES = ['PENDING', 'UPLOADED', 'OVERDUE', 'NOT_NEEDED'] as const;
export type SellerProofStatus = (typeof SELLER_PROOF_STATUSES)[number];

export const SELLER_COMPENSATION_STATUSES = [
  'COMPENSATION_NOT_APPLICABLE',
  'COMPENSATION_INITIAL_STAGE',
  'COMPENSATION_PENDING_REQUEST',
  'COMPENSATION_NOT_REQUIRED',
  'COMPENSATION_REQUESTED',
  'COMPENSATION_APPROVED',
  'COMPENSATION_REJECTED',
  'COMPENSATION_CANCELLED',
  'COMPENSATION_NOT_ELIGIBLE',
] as const;
export type SellerCompensationStatus = (typeof SELLER_COMPENSATION_STATUSES)[number];

/** Data Definition - ReturnSolution; the list/detail field return_solution is 0 (RETURN_REFUND) or 1 (REFUND). */
export type ReturnSolution = 'RETURN_REFUND' | 'REFUND';
export const solutionCode = (s: ReturnSolution): 0 | 1 => (s === 'RETURN_REFUND' ? 0 : 1);
export const solutionName = (c: 0 | 1): ReturnSolution => (c === 0 ? 'RETURN_REFUND' : 'REFUND');

/** Reverse logistics of a normal return (Data Definition - Reverse Logistics Status), in order. */
export const REVERSE_LOGISTICS_STEPS = [
  'LOGISTICS_PENDING_ARRANGE',
  'LOGISTICS_READY',
  'LOGISTICS_REQUEST_CREATED',
  'LOGISTICS_PICKUP_DONE',
  'LOGISTICS_DELIVERY_DONE',
] as const;

export type ValidationType = 'seller_validation' | 'warehouse_validation';

/**
 * Moves the simulator allows without force. REQUESTED: the seller confirms (ACCEPTED), the buyer's return is approved
 * (PROCESSING), the buyer cancels, either side disputes. PROCESSING: the parcel travels back; refund (ACCEPTED), the
 * buyer never ships (CANCELLED), dispute. SELLER_DISPUTE → JUDGING (Shopee reviews) → ACCEPTED (buyer wins) / CLOSED
 * (seller wins) / PROCESSING (Shopee orders a return). ACCEPTED, CANCELLED and CLOSED are final.
 */
export const RETURN_TRANSITIONS: Record<ReturnStatus, readonly ReturnStatus[]> = {
  REQUESTED: ['ACCEPTED', 'PROCESSING', 'CANCELLED', 'SELLER_DISPUTE', 'JUDGING', 'CLOSED'],
  PROCESSING: ['ACCEPTED', 'CANCELLED', 'SELLER_DISPUTE', 'JUDGING', 'CLOSED'],
  SELLER_DISPUTE: ['JUDGING', 'ACCEPTED', 'CLOSED', 'CANCELLED'],
  JUDGING: ['ACCEPTED', 'CLOSED', 'CANCELLED', 'PROCESSING'],
  ACCEPTED: [],
  CANCELLED: [],
  CLOSED: [],
};

export const FINAL_RETURN_STATUSES: readonly ReturnStatus[] = ['ACCEPTED', 'CANCELLED', 'CLOSED'];
export const isFinalReturn = (s: ReturnStatus): boolean => FINAL_RETURN_STATUSES.includes(s);
export const isReturnStatus = (s: string): s is ReturnStatus => (RETURN_STATUSES as readonly string[]).includes(s);

/** Order statuses a buyer can raise a return from (TO_RETURN: a second request on the same order). */
export const RETURNABLE_ORDER_STATUSES: readonly OrderStatus[] = ['SHIPPED', 'TO_CONFIRM_RECEIVE', 'COMPLETED', 'TO_RETURN'];

const DAY = 86400;
/** Deadline lengths in seconds (the simulator's choices; Shopee's pages give none). */
export const RETURN_DEADLINES = {
  /** due_date while REQUESTED: the seller's time to answer before Shopee approves the buyer's proposal. */
  sellerRespond: 3 * DAY,
  /** return_ship_due_date, from the moment the return is approved: the buyer's time to ship the parcel back. */
  buyerShip: 7 * DAY,
  /** return_seller_due_date, after return_ship_due_date (an estimate until the parcel is delivered). */
  sellerDecideEstimate: 7 * DAY,
  /** return_seller_due_date once the parcel is delivered to the seller. */
  sellerDecide: 3 * DAY,
  /** negotiation.offer_due_date after a seller offer (buyer's time to answer) or a buyer counter (seller's). */
  offerAnswer: 2 * DAY,
  /** seller_proof.seller_evidence_deadline after a dispute. */
  evidence: 3 * DAY,
  /** seller_compensation.seller_compensation_due_date after a return & refund is ACCEPTED. */
  compensation: 7 * DAY,
};

/** How many offers the seller may make (negotiation.counter_limit at the start). */
export const COUNTER_LIMIT = 2;

export interface ReturnItem {
  model_id: number;
  name: string;
  images: string[];
  amount: number;
  item_price: number;
  is_add_on_deal: boolean;
  is_main_item: boolean;
  add_on_deal_id: number;
  item_id: number;
  item_sku: string;
  variation_sku: string;
  /** Detail only ("only for shops whitelisted for Partial Qty RR"); item_price × amount here. */
  refund_amount: number;
}

export interface ReturnUser {
  username: string;
  email: string;
  portrait: string;
}

export interface Negotiation {
  negotiation_status: NegotiationStatus;
  latest_solution: ReturnSolution;
  latest_offer_amount: number;
  /** The buyer's username or the shop's (sellerUsername). */
  latest_offer_creator: string;
  counter_limit: number;
  offer_due_date: number;
}

export interface ReturnPickupAddress {
  address: string;
  name: string;
  phone: string;
  town: string;
  district: string;
  city: string;
  state: string;
  region: string;
  zipcode: string;
}

export interface Return {
  return_sn: string;
  order_sn: string;
  shopId: number;
  region: string;
  currency: string;
  status: ReturnStatus;
  reason: ReturnReason;
  text_reason: string;
  /** "If no reassessment has been made, the value will be NONE." */
  reassessed_request_reason: ReturnReason;
  image: string[];
  buyer_videos: { thumbnail_url: string; video_url: string }[];
  refund_amount: number;
  amount_before_discount: number;
  create_time: number;
  update_time: number;
  due_date: number;
  return_ship_due_date: number;
  return_seller_due_date: number;
  tracking_number: string;
  dispute_reason: string[];
  dispute_text_reason: string[];
  needs_logistics: boolean;
  user: ReturnUser;
  item: ReturnItem[];
  negotiation: Negotiation;
  seller_proof: { seller_proof_status: SellerProofStatus; seller_evidence_deadline: number };
  seller_compensation: { seller_compensation_status: SellerCompensationStatus; seller_compensation_due_date: number; compensation_amount: number };
  /** Reverse logistics (LOGISTICS_PENDING_ARRANGE … LOGISTICS_DELIVERY_DONE); "" for a refund without return. */
  logistics_status: string;
  return_pickup_address: ReturnPickupAddress | null;
  return_refund_type: 'RRBOC' | 'RRAOC';
  return_solution: 0 | 1;
  return_refund_request_type: 0 | 1 | 2;
  validation_type: ValidationType;
  is_seller_arrange: boolean;
  is_shipping_proof_mandatory: boolean;
  has_uploaded_shipping_proof: boolean;
  is_reverse_logistics_channel_integrated: boolean;
  reverse_logistics_channel_name: string;
  /** warehouse_validation only: 1 Pending Inbound, 3 Inbound. */
  is_arrived_at_warehouse: number;
  /** Written as latest_offer_creator when the seller offers. */
  sellerUsername: string;
  /** The dispute_reason_id of the seller's dispute (0: none). */
  disputeReasonId: number;
}

export interface ReturnInput {
  return_sn?: string;
  /** Default REQUESTED; another status is entered at creation with its side effects (one push). */
  status?: ReturnStatus;
  reason?: ReturnReason;
  text_reason?: string;
  /** 0 return & refund (default for most reasons), 1 refund only (NOT_RECEIPT, ITEM_MISSING). */
  return_solution?: 0 | 1;
  create_time?: number;
  /** Which order items (default: all of them, or one at random); amount defaults to the quantity bought. */
  items?: { item_id: number; model_id?: number; amount?: number }[];
  refund_amount?: number;
  image?: string[];
  validation_type?: ValidationType;
  return_refund_request_type?: 0 | 1 | 2;
}

const SN_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = '0123456789abcdef';

/** "2206140TA5PM808", "24112301K66SQXM": YYMMDD (UTC+8), "0", then 8 of [0-9A-Z] (the pages' examples). */
export const newReturnSn = (rng: Rng, createTime: number): string => `${snDatePrefix(createTime)}0${rng.chars(8, SN_ALPHABET)}`;

/** "RNSHS00177569" in the pages' examples. */
export const newReturnTrackingNumber = (rng: Rng): string => `RN${rng.chars(3, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')}${rng.chars(8, '0123456789')}`;

export const shopeeImage = (rng: Rng): string => `https://cf.shopee.sg/file/${rng.chars(32, HEX)}`;

const TEXT: Partial<Record<ReturnReason, [string, string]>> = {
  NOT_RECEIPT: ['Tracking says delivered but I never got the parcel', '物流顯示已送達，但我沒有收到包裹'],
  WRONG_ITEM: ['Received the wrong colour / model', '收到的顏色／型號不對'],
  ITEM_DAMAGED: ['Item arrived damaged, the box was crushed', '商品到貨時已損壞，外箱被壓扁'],
  DIFFERENT_DESCRIPTION: ['Item is different from the listing photos', '商品與描述不符'],
  CHANGE_MIND: ['Changed my mind, no longer needed', '不想要了'],
  ITEM_MISSING: ['One of the items is missing from the parcel', '包裹裡少了一件商品'],
  PHYSICAL_DMG: ['Scratches and a crack on the item', '商品有刮痕和裂痕'],
  FUNCTIONAL_DMG: ['It does not work, cannot power on', '無法開機，功能故障'],
  EXPECTATION_FAILED: ['Quality is much worse than expected', '品質跟預期差很多'],
  ITEM_FAKE: ['Looks like a counterfeit product', '疑似仿冒品'],
  OTHER: ['Other reason', '其他原因'],
};

/** Reasons a buyer picks, weighted by repetition. */
const DEFAULT_REASONS: ReturnReason[] = [
  'NOT_RECEIPT',
  'WRONG_ITEM',
  'WRONG_ITEM',
  'ITEM_DAMAGED',
  'ITEM_DAMAGED',
  'DIFFERENT_DESCRIPTION',
  'CHANGE_MIND',
  'ITEM_MISSING',
  'PHYSICAL_DMG',
  'FUNCTIONAL_DMG',
  'EXPECTATION_FAILED',
];
const REFUND_ONLY_REASONS: ReturnReason[] = ['NOT_RECEIPT', 'ITEM_MISSING'];
const NO_PHOTO_REASONS: ReturnReason[] = ['NOT_RECEIPT', 'CHANGE_MIND', 'NONE', 'MUTUAL_AGREE'];

/** A shop "username" for latest_offer_creator: the name in lowercase letters and digits, or shop_<id>. */
export function sellerUsername(name: string, shopId: number): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 24);
  return slug || `shop_${shopId}`;
}

/** "***********r1@shopee.com" in the pages' examples: stars, the last two characters of the local part, the domain. */
export function maskedEmail(username: string): string {
  const local = username.replace(/[^A-Za-z0-9._]/g, '') || 'buyer';
  return `${'*'.repeat(Math.max(6, local.length - 2))}${local.slice(-2)}@gmail.com`;
}

/** The smallest step of the currency (0.01, or 1 for zero-decimal currencies). */
export const moneyStep = (region: string): number => (regionInfo(region).decimals === 0 ? 1 : 0.01);
export const money = (region: string, v: number): number => roundMoney(regionInfo(region), v);

export function buildReturn(order: Order, input: ReturnInput, rng: Rng, now: number, seller: string): Return {
  const create = input.create_time ?? now;
  const reason = input.reason ?? rng.pick(DEFAULT_REASONS);
  const zh = order.region === 'TW';
  const solution: 0 | 1 = input.return_solution ?? (REFUND_ONLY_REASONS.includes(reason) ? 1 : rng.chance(0.85) ? 0 : 1);
  const picked = input.items
    ? input.items.map((sel) => {
        const it = order.items.find((x) => x.item_id === sel.item_id && (sel.model_id === undefined || x.model_id === sel.model_id));
        if (!it) throw new Error(`order ${order.order_sn} has no item ${sel.item_id}${sel.model_id === undefined ? '' : `/${sel.model_id}`}`);
        const amount = sel.amount ?? it.model_quantity_purchased;
        if (!Number.isInteger(amount) || amount < 1 || amount > it.model_quantity_purchased)
          throw new Error(`item ${it.item_id}: amount ${amount} is not 1..${it.model_quantity_purchased}`);
        return { it, amount };
      })
    : (order.items.length > 1 && rng.chance(0.4) ? [rng.pick(order.items)] : order.items).map((it) => ({ it, amount: it.model_quantity_purchased }));
  const item: ReturnItem[] = picked.map(({ it, amount }) => ({
    model_id: it.model_id,
    name: it.item_name,
    images: [it.image_url],
    amount,
    item_price: it.model_discounted_price,
    is_add_on_deal: false,
    is_main_item: false,
    add_on_deal_id: 0,
    item_id: it.item_id,
    item_sku: it.item_sku,
    variation_sku: it.model_sku,
    refund_amount: money(order.region, it.model_discounted_price * amount),
  }));
  const full = money(
    order.region,
    item.reduce((s, it) => s + it.item_price * it.amount, 0),
  );
  const before = money(
    order.region,
    picked.reduce((s, { it, amount }) => s + it.model_original_price * amount, 0),
  );
  const needsLogistics = solution === 0;
  const a = order.recipient_address;
  const r: Return = {
    return_sn: input.return_sn ?? newReturnSn(rng, create),
    order_sn: order.order_sn,
    shopId: order.shopId,
    region: order.region,
    currency: order.currency,
    status: 'REQUESTED',
    reason,
    text_reason: input.text_reason ?? (TEXT[reason] ?? ['', ''])[zh ? 1 : 0],
    reassessed_request_reason: 'NONE',
    image: input.image ?? (NO_PHOTO_REASONS.includes(reason) ? [] : Array.from({ length: rng.int(1, 3) }, () => shopeeImage(rng))),
    buyer_videos: [],
    refund_amount: input.refund_amount ?? full,
    amount_before_discount: before,
    create_time: create,
    update_time: create,
    due_date: create + RETURN_DEADLINES.sellerRespond,
    return_ship_due_date: needsLogistics ? create + RETURN_DEADLINES.sellerRespond + RETURN_DEADLINES.buyerShip : 0,
    return_seller_due_date: needsLogistics ? create + RETURN_DEADLINES.sellerRespond + RETURN_DEADLINES.buyerShip + RETURN_DEADLINES.sellerDecideEstimate : 0,
    tracking_number: '',
    dispute_reason: [],
    dispute_text_reason: [],
    needs_logistics: needsLogistics,
    user: { username: order.buyer_username, email: maskedEmail(order.buyer_username), portrait: shopeeImage(rng) },
    item,
    // A return & refund opens a negotiation: the buyer's request is the proposal on the table. A refund-only request
    // has none (the guide's refund-only flow is confirm, or dispute).
    negotiation: {
      negotiation_status: needsLogistics ? 'PENDING_RESPOND' : 'TERMINATED',
      latest_solution: solutionName(solution),
      latest_offer_amount: input.refund_amount ?? full,
      latest_offer_creator: needsLogistics ? order.buyer_username : '',
      counter_limit: needsLogistics ? COUNTER_LIMIT : 0,
      offer_due_date: needsLogistics ? create + RETURN_DEADLINES.sellerRespond : 0,
    },
    seller_proof: { seller_proof_status: 'NOT_NEEDED', seller_evidence_deadline: 0 },
    seller_compensation: { seller_compensation_status: 'COMPENSATION_NOT_APPLICABLE', seller_compensation_due_date: 0, compensation_amount: 0 },
    logistics_status: needsLogistics ? 'LOGISTICS_PENDING_ARRANGE' : '',
    return_pickup_address: needsLogistics
      ? {
          address: a.full_address,
          name: a.name,
          phone: a.phone,
          town: a.town,
          district: a.district,
          city: a.city,
          state: a.state,
          region: a.region,
          zipcode: a.zipcode,
        }
      : null,
    return_refund_type: order.order_status === 'COMPLETED' ? 'RRAOC' : 'RRBOC',
    return_solution: solution,
    return_refund_request_type: input.return_refund_request_type ?? 0,
    validation_type: input.validation_type ?? 'seller_validation',
    is_seller_arrange: false,
    is_shipping_proof_mandatory: false,
    has_uploaded_shipping_proof: false,
    is_reverse_logistics_channel_integrated: needsLogistics,
    reverse_logistics_channel_name: needsLogistics ? order.shipping_carrier : '',
    is_arrived_at_warehouse: 1,
    sellerUsername: seller,
    disputeReasonId: 0,
  };
  return r;
}

/** The buyer and seller agreed on `solution` / `amount` (accept_offer, the buyer accepting an offer, Shopee deciding). */
export function applyAgreement(r: Return, solution: ReturnSolution, amount: number): ReturnStatus {
  r.return_solution = solutionCode(solution);
  r.refund_amount = amount;
  if (solution === 'REFUND' && r.needs_logistics) {
    // A partial refund instead of the return: the buyer keeps the item.
    r.needs_logistics = false;
    r.return_ship_due_date = 0;
    r.return_seller_due_date = 0;
    r.logistics_status = '';
  }
  r.negotiation.negotiation_status = 'TERMINATED';
  return solution === 'REFUND' ? 'ACCEPTED' : 'PROCESSING';
}

/** Side effects of entering `status` at `now` (no push; the caller bumps update_time and pushes). */
export function enterStatus(r: Return, status: ReturnStatus, now: number): void {
  r.status = status;
  if (status !== 'REQUESTED') r.negotiation.negotiation_status = 'TERMINATED';
  switch (status) {
    case 'REQUESTED':
      break;
    case 'PROCESSING':
      if (r.needs_logistics) {
        r.return_ship_due_date = now + RETURN_DEADLINES.buyerShip;
        r.return_seller_due_date = r.return_ship_due_date + RETURN_DEADLINES.sellerDecideEstimate;
        r.due_date = r.return_seller_due_date;
        if (!r.logistics_status) r.logistics_status = 'LOGISTICS_PENDING_ARRANGE';
      } else {
        r.due_date = now + RETURN_DEADLINES.sellerRespond;
      }
      break;
    case 'SELLER_DISPUTE':
      if (r.seller_proof.seller_proof_status !== 'UPLOADED') r.seller_proof.seller_proof_status = 'PENDING';
      r.seller_proof.seller_evidence_deadline = now + RETURN_DEADLINES.evidence;
      break;
    case 'JUDGING':
      break;
    case 'ACCEPTED':
      if (r.needs_logistics && r.seller_compensation.seller_compensation_status === 'COMPENSATION_NOT_APPLICABLE') {
        r.seller_compensation.seller_compensation_status = 'COMPENSATION_PENDING_REQUEST';
        r.seller_compensation.seller_compensation_due_date = now + RETURN_DEADLINES.compensation;
      }
      break;
    case 'CANCELLED':
    case 'CLOSED':
      break;
  }
}

/** One step of the reverse logistics (PROCESSING, return & refund). Returns false when there is no next step. */
export function stepReverseLogistics(r: Return, rng: Rng, now: number): boolean {
  const i = REVERSE_LOGISTICS_STEPS.indexOf(r.logistics_status as (typeof REVERSE_LOGISTICS_STEPS)[number]);
  const next = REVERSE_LOGISTICS_STEPS[i + 1];
  if (i < 0 || !next) return false;
  r.logistics_status = next;
  if (next === 'LOGISTICS_REQUEST_CREATED' && !r.tracking_number) r.tracking_number = newReturnTrackingNumber(rng);
  if (next === 'LOGISTICS_DELIVERY_DONE') {
    if (r.validation_type === 'warehouse_validation') r.is_arrived_at_warehouse = 3;
    r.return_seller_due_date = now + RETURN_DEADLINES.sellerDecide;
    r.due_date = r.return_seller_due_date;
  }
  return true;
}

/** The minimum a seller may offer: 10% of the request, at least one currency step (simulator's choice). */
export function minRefund(r: Return): number {
  return Math.max(moneyStep(r.region), money(r.region, r.refund_amount * 0.1));
}
