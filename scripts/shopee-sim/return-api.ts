// Returns (after-sales): v2.returns.get_return_list, get_return_detail, get_available_solutions, confirm, offer,
// accept_offer, get_return_dispute_reason and dispute (https://open.shopee.com/documents/v2/v2.returns.<api>; the doc
// JSON is kept in congminh1254/shopee-sdk schemas/). Field names and their order follow each page's response
// parameter table; errors are each page's documented ones (errors.ts RETURNS). Shop APIs: GET parameters in the query,
// POST ones in the JSON body.
import { optInt, optNumber, optString, reqString, type ApiCall, type Endpoint } from './endpoint';
import { RETURNS, ShopeeError, wrongParam } from './errors';
import { regionInfo } from './regions';
import {
  isReturnStatus,
  minRefund,
  NEGOTIATION_STATUSES,
  RETURN_DEADLINES,
  SELLER_COMPENSATION_STATUSES,
  SELLER_PROOF_STATUSES,
  type Return,
  type ReturnSolution,
} from './returns';

export const RETURN_RANGE_S = 15 * 86400;
export const MAX_RETURN_PAGE_SIZE = 100;

/** get_return_list item: the page's response table, in its order (no per-item refund_amount; that is detail only). */
export function returnListItem(r: Return): Record<string, unknown> {
  return {
    image: [...r.image],
    reason: r.reason,
    text_reason: r.text_reason,
    reassessed_request_reason: r.reassessed_request_reason,
    return_sn: r.return_sn,
    refund_amount: r.refund_amount,
    currency: r.currency,
    create_time: r.create_time,
    update_time: r.update_time,
    status: r.status,
    due_date: r.due_date,
    tracking_number: r.tracking_number,
    dispute_reason: [...r.dispute_reason],
    dispute_text_reason: [...r.dispute_text_reason],
    needs_logistics: r.needs_logistics,
    amount_before_discount: r.amount_before_discount,
    user: { ...r.user },
    item: r.item.map((it) => ({
      model_id: it.model_id,
      name: it.name,
      images: [...it.images],
      amount: it.amount,
      item_price: it.item_price,
      is_add_on_deal: it.is_add_on_deal,
      is_main_item: it.is_main_item,
      add_on_deal_id: it.add_on_deal_id,
      item_id: it.item_id,
      item_sku: it.item_sku,
      variation_sku: it.variation_sku,
    })),
    order_sn: r.order_sn,
    return_ship_due_date: r.return_ship_due_date,
    return_seller_due_date: r.return_seller_due_date,
    negotiation_status: r.negotiation.negotiation_status,
    seller_proof_status: r.seller_proof.seller_proof_status,
    seller_compensation_status: r.seller_compensation.seller_compensation_status,
    return_refund_type: r.return_refund_type,
    return_solution: r.return_solution,
    is_seller_arrange: r.is_seller_arrange,
    is_shipping_proof_mandatory: r.is_shipping_proof_mandatory,
    return_refund_request_type: r.return_refund_request_type,
    validation_type: r.validation_type,
    ...warehouseFields(r),
  };
}

/** "[Only for validation_type = warehouse_validation]" */
function warehouseFields(r: Return): Record<string, unknown> {
  return r.validation_type === 'warehouse_validation' ? { is_arrived_at_warehouse: r.is_arrived_at_warehouse, follow_up_action_list: [] } : {};
}

/**
 * get_return_detail: the page's response table, in its order. The page spells two fields two ways
 * (reverse_logistics_status / reverse_logistic_status, reverse_logistics_channel_name / reverse_logistic_channel_name:
 * the table says "logistics", the example, the update log and the logistics_status note say "logistic"); both
 * spellings are sent. virtual_contact_number and package_query_number (TW non-integrated only) are not.
 */
export function returnDetail(r: Return): Record<string, unknown> {
  const list = returnListItem(r);
  return {
    image: list['image'],
    buyer_videos: r.buyer_videos.map((v) => ({ ...v })),
    reason: r.reason,
    text_reason: r.text_reason,
    reassessed_request_reason: r.reassessed_request_reason,
    return_sn: r.return_sn,
    refund_amount: r.refund_amount,
    currency: r.currency,
    create_time: r.create_time,
    update_time: r.update_time,
    status: r.status,
    due_date: r.due_date,
    tracking_number: r.tracking_number,
    dispute_reason: [...r.dispute_reason],
    dispute_text_reason: [...r.dispute_text_reason],
    needs_logistics: r.needs_logistics,
    amount_before_discount: r.amount_before_discount,
    user: { ...r.user },
    item: r.item.map((it) => ({ ...it, images: [...it.images] })),
    order_sn: r.order_sn,
    return_ship_due_date: r.return_ship_due_date,
    return_seller_due_date: r.return_seller_due_date,
    activity: [],
    seller_proof: { ...r.seller_proof },
    seller_compensation: { ...r.seller_compensation },
    negotiation: { ...r.negotiation },
    logistics_status: r.logistics_status,
    reverse_logistics_status: r.logistics_status,
    reverse_logistic_status: r.logistics_status,
    ...(r.return_pickup_address ? { return_pickup_address: { ...r.return_pickup_address } } : {}),
    ...(r.validation_type === 'warehouse_validation' ? { return_address: { whs_id: `${r.region}C` } } : {}),
    return_refund_type: r.return_refund_type,
    return_solution: r.return_solution,
    is_seller_arrange: r.is_seller_arrange,
    is_shipping_proof_mandatory: r.is_shipping_proof_mandatory,
    has_uploaded_shipping_proof: r.has_uploaded_shipping_proof,
    is_reverse_logistics_channel_integrated: r.is_reverse_logistics_channel_integrated,
    reverse_logistics_channel_name: r.reverse_logistics_channel_name,
    reverse_logistic_channel_name: r.reverse_logistics_channel_name,
    return_refund_request_type: r.return_refund_request_type,
    validation_type: r.validation_type,
    ...warehouseFields(r),
  };
}

const inDispute = (r: Return): boolean => r.status === 'SELLER_DISPUTE' || r.status === 'JUDGING';
/** A return & refund request opens a negotiation (the buyer's proposal); the guide's refund-only flow is confirm or dispute. */
const negotiable = (r: Return): boolean => r.negotiation.latest_offer_creator !== '';

interface SolutionOption {
  eligibility: boolean;
  refund_amount_adjustable: boolean;
  max_refund_amount?: number;
  min_refund_amount?: number;
}

/** get_available_solutions: both solutions are open (and adjustable) while a return & refund request is REQUESTED. */
export function availableSolutions(r: Return): { offer_return_refund: SolutionOption; offer_refund: SolutionOption } {
  const open = r.status === 'REQUESTED';
  const option = (): SolutionOption =>
    open
      ? { eligibility: true, refund_amount_adjustable: true, max_refund_amount: r.refund_amount, min_refund_amount: minRefund(r) }
      : { eligibility: false, refund_amount_adjustable: false };
  return { offer_return_refund: option(), offer_refund: option() };
}

function mine(call: ApiCall, notFound: () => ShopeeError = RETURNS.notFound): Return {
  const sn = reqString(call.params, 'return_sn');
  const r = call.state.returns.get(sn);
  if (!r || r.shopId !== call.shop!.shopId) throw notFound();
  return r;
}

/** failNextReturnAction: the armed error answers the next action on this return (once). */
function armedFailure(call: ApiCall, r: Return): void {
  const f = call.state.returnFailures.get(r.return_sn);
  if (!f) return;
  call.state.returnFailures.delete(r.return_sn);
  throw new ShopeeError(f.error, f.message);
}

function checkWindow(params: Record<string, unknown>, kind: 'create' | 'update'): [number, number] | undefined {
  const from = optInt(params, `${kind}_time_from`);
  const to = optInt(params, `${kind}_time_to`);
  if (from === undefined && to === undefined) return undefined;
  if (from === undefined || to === undefined) throw wrongParam(`${kind}_time_from and ${kind}_time_to should be given together`);
  if (to < from) throw kind === 'create' ? RETURNS.createWindowReversed() : RETURNS.updateWindowReversed();
  if (to - from > RETURN_RANGE_S) throw kind === 'create' ? RETURNS.createWindowTooLong() : RETURNS.updateWindowTooLong();
  return [from, to];
}

function enumFilter(params: Record<string, unknown>, name: string, values: readonly string[], prefix = ''): string | undefined {
  let v = optString(params, name);
  if (v === undefined) return undefined;
  // The page's sample filters by "NOT_REQUIRED" while the data definition says COMPENSATION_NOT_REQUIRED: both work.
  if (prefix && !v.startsWith(prefix) && values.includes(prefix + v)) v = prefix + v;
  if (!values.includes(v)) throw wrongParam(`${name} is invalid`);
  return v;
}

function getReturnList(call: ApiCall): Record<string, unknown> {
  const p = call.params;
  const pageNo = optInt(p, 'page_no');
  if (pageNo === undefined) throw RETURNS.innerError5();
  if (pageNo < 0) throw wrongParam('page_no should not be negative');
  const pageSize = optInt(p, 'page_size');
  if (pageSize === undefined) throw wrongParam('page_size is required');
  if (pageSize < 1 || pageSize > MAX_RETURN_PAGE_SIZE) throw wrongParam(`page_size should be between 1 and ${MAX_RETURN_PAGE_SIZE}`);
  const created = checkWindow(p, 'create');
  const updated = checkWindow(p, 'update');
  if (created && updated && updated[0] < created[0]) throw RETURNS.updateBeforeCreate();
  const status = optString(p, 'status');
  if (status !== undefined && !isReturnStatus(status)) throw wrongParam('status is invalid');
  const negotiation = enumFilter(p, 'negotiation_status', NEGOTIATION_STATUSES);
  const proof = enumFilter(p, 'seller_proof_status', SELLER_PROOF_STATUSES);
  const compensation = enumFilter(p, 'seller_compensation_status', SELLER_COMPENSATION_STATUSES, 'COMPENSATION_');
  const matches = [...call.state.returns.values()]
    .filter(
      (r) =>
        r.shopId === call.shop!.shopId &&
        (!created || (r.create_time >= created[0] && r.create_time <= created[1])) &&
        (!updated || (r.update_time >= updated[0] && r.update_time <= updated[1])) &&
        (status === undefined || r.status === status) &&
        (negotiation === undefined || r.negotiation.negotiation_status === negotiation) &&
        (proof === undefined || r.seller_proof.seller_proof_status === proof) &&
        (compensation === undefined || r.seller_compensation.seller_compensation_status === compensation),
    )
    .sort((a, b) => b.create_time - a.create_time || (a.return_sn < b.return_sn ? 1 : -1));
  const offset = pageNo * pageSize;
  return { response: { more: offset + pageSize < matches.length, return: matches.slice(offset, offset + pageSize).map(returnListItem) } };
}

function confirm(call: ApiCall): Record<string, unknown> {
  const r = mine(call);
  armedFailure(call, r);
  if (inDispute(r)) throw RETURNS.reviewing();
  if (r.status !== 'REQUESTED' && r.status !== 'PROCESSING') throw RETURNS.invalidStatus(r.status);
  if (r.status === 'PROCESSING' && r.validation_type === 'warehouse_validation') throw RETURNS.warehouseValidation();
  call.state.moveReturn(r.return_sn, 'ACCEPTED');
  return { response: { return_sn: r.return_sn } };
}

const decimals = (v: number): number => {
  const s = String(v);
  return s.includes('e') ? 20 : (s.split('.')[1]?.length ?? 0);
};

function offer(call: ApiCall): Record<string, unknown> {
  const r = mine(call);
  armedFailure(call, r);
  if (inDispute(r)) throw RETURNS.ongoingDispute();
  if (r.status !== 'REQUESTED') throw RETURNS.statusCannot();
  if (!negotiable(r)) throw RETURNS.offerNotAllowed();
  if (r.negotiation.negotiation_status !== 'PENDING_RESPOND' || r.negotiation.counter_limit <= 0) throw RETURNS.negotiationCannot();
  const solution = reqString(call.params, 'proposed_solution');
  const options = availableSolutions(r);
  const option = solution === 'RETURN_REFUND' ? options.offer_return_refund : solution === 'REFUND' ? options.offer_refund : undefined;
  if (!option || !option.eligibility) throw RETURNS.solutionNotAvailable();
  let amount = optNumber(call.params, 'proposed_adjusted_refund_amount');
  if (!option.refund_amount_adjustable) {
    if (amount !== undefined) throw RETURNS.amountNotAdjustable();
    amount = r.refund_amount;
  } else {
    if (amount === undefined) throw RETURNS.amountMissing();
    if (amount <= 0) throw RETURNS.amountNotPositive();
    const digits = regionInfo(r.region).decimals;
    if (decimals(amount) > digits) throw RETURNS.amountDecimals(digits);
    if (amount > option.max_refund_amount!) throw RETURNS.amountTooHigh();
    if (amount < option.min_refund_amount!) throw RETURNS.amountTooLow();
  }
  const offered = amount;
  call.state.changeReturn(r.return_sn, (x) => {
    x.negotiation = {
      negotiation_status: 'PENDING_BUYER_RESPOND',
      latest_solution: solution as ReturnSolution,
      latest_offer_amount: offered,
      latest_offer_creator: x.sellerUsername,
      counter_limit: x.negotiation.counter_limit - 1,
      offer_due_date: call.state.clock.now() + RETURN_DEADLINES.offerAnswer,
    };
  });
  return { response: { return_sn: r.return_sn } };
}

function acceptOffer(call: ApiCall): Record<string, unknown> {
  const r = mine(call);
  armedFailure(call, r);
  if (inDispute(r)) throw RETURNS.reviewing();
  if (r.status !== 'REQUESTED') throw RETURNS.statusCannot();
  const n = r.negotiation;
  if (!negotiable(r)) throw RETURNS.noBuyerProposal();
  if (n.latest_offer_creator === r.sellerUsername) {
    if (n.negotiation_status === 'PENDING_BUYER_RESPOND') throw RETURNS.ownOffer();
    throw RETURNS.noBuyerCounter(); // the buyer rejected (or let lapse) the seller's offer without countering
  }
  if (n.negotiation_status !== 'PENDING_RESPOND') throw RETURNS.negotiationCannot();
  call.state.agreeReturn(r.return_sn, n.latest_solution, n.latest_offer_amount);
  return { response: { return_sn: r.return_sn } };
}

const SAMPLE = 'https://fileproxy.scsusercontent.com/api/v2/files/c2hvcGVlLWRyYzAx/';
const UNBOXING = 'Photo(s) or Video of unboxing the returned parcel with the consignment note (Airway Bill).';
const RETURNED_ITEMS = 'Photo(s) or Video of all returned item(s)';
const PACKING = 'Photo(s) or Video while packing the parcel with the consignment note (Airway Bill).';

interface DisputeReason {
  dispute_reason: string;
  dispute_requirement: string;
  modules: { requirement: string; is_required: boolean }[];
}

/**
 * get_return_dispute_reason: reasons 47–50 and their evidence modules are the page's example (English halves);
 * 51, "Did not receive the return product" without mandatory images (the dispute page's exception), is the
 * simulator's. dispute_reason is a string (2026-04-27 update log).
 */
export const DISPUTE_REASONS: DisputeReason[] = [
  {
    dispute_reason: '50',
    dispute_requirement: 'Regarding to your refund request, Shopee would like to request more information as follows :',
    modules: [UNBOXING, RETURNED_ITEMS, PACKING, 'Photo or Video of the product that is follow the details in description.'].map((requirement) => ({
      requirement,
      is_required: true,
    })),
  },
  {
    dispute_reason: '49',
    dispute_requirement: 'Regarding to your refund request, Shopee would like to request more information as follows ;',
    modules: [UNBOXING, RETURNED_ITEMS, PACKING].map((requirement) => ({ requirement, is_required: true })),
  },
  {
    dispute_reason: '48',
    dispute_requirement: 'Regarding to your refund request, Shopee would like to request more information as follows ;',
    modules: [
      UNBOXING,
      RETURNED_ITEMS,
      PACKING,
      'Clear Video or Photo showing the weight measurement of parcel with all items (able to see the weight and all items clearly).',
    ].map((requirement) => ({ requirement, is_required: true })),
  },
  {
    dispute_reason: '47',
    dispute_requirement: 'Regarding to your refund request, Shopee would like to request more information as follows ;',
    modules: [
      UNBOXING,
      'Photo(s) or Video showing the damaged point(s) of returned item(s).',
      PACKING,
      'Photo(s) showing all side of the received parcel.',
    ].map((requirement) => ({ requirement, is_required: true })),
  },
  {
    dispute_reason: '51',
    dispute_requirement: 'Did not receive the return product',
    modules: [{ requirement: 'Photo(s) of the return tracking status, if any.', is_required: false }],
  },
];

function disputeReasonList(): Record<string, unknown>[] {
  return DISPUTE_REASONS.map((d) => ({
    dispute_reason: d.dispute_reason,
    dispute_requirement: d.dispute_requirement,
    sample_evidence: [1, 2].map((i) => ({
      type: 1,
      url: `${SAMPLE}bf10d801_sample${d.dispute_reason}${i}.jpg`,
      thumbnail: `${SAMPLE}bf10d801_sample${d.dispute_reason}${i}_tn.jpg`,
    })),
    evidence_module_list: d.modules.map((m, i) => ({ module_index: i + 1, requirement: m.requirement, is_required: m.is_required })),
  }));
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function dispute(call: ApiCall): Record<string, unknown> {
  const p = call.params;
  if (optString(p, 'return_sn') === undefined) throw RETURNS.disputeNoReturnSn();
  const r = mine(call, RETURNS.disputeNotFound);
  armedFailure(call, r);
  if (r.status === 'CANCELLED' || r.status === 'CLOSED') throw RETURNS.disputeWrongStatus();
  if (inDispute(r)) throw RETURNS.disputeNotAllowed();
  // In ACCEPTED only a compensation dispute is possible (cancel_dispute's page: ACCEPTED + COMPENSATION_REQUESTED).
  if (r.status === 'ACCEPTED' && r.seller_compensation.seller_compensation_status !== 'COMPENSATION_PENDING_REQUEST') throw RETURNS.disputeNotAllowed();
  const email = optString(p, 'email') ?? '';
  if (!EMAIL.test(email)) throw RETURNS.disputeInvalidEmail(email);
  const reasonId = optInt(p, 'dispute_reason_id');
  if (reasonId === undefined) throw RETURNS.disputeReasonEmpty();
  const reason = DISPUTE_REASONS.find((d) => d.dispute_reason === String(reasonId));
  if (!reason) throw RETURNS.disputeReasonMismatch();
  const raw = p['image_list'];
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) throw wrongParam('image_list should be an array');
  const images = ((raw ?? []) as unknown[]).map((m) => {
    if (!m || typeof m !== 'object' || Array.isArray(m)) throw wrongParam('image_list should contain objects');
    const o = m as Record<string, unknown>;
    const urls = o['image_url'];
    if (urls !== undefined && (!Array.isArray(urls) || urls.some((u) => typeof u !== 'string'))) throw wrongParam('image_url should be an array of strings');
    return { index: optInt(o, 'module_index'), requirement: optString(o, 'requirement'), urls: (urls ?? []) as string[] };
  });
  for (const m of images) {
    const module = m.index === undefined ? undefined : reason.modules[m.index - 1];
    if (!module || m.requirement !== module.requirement) throw RETURNS.disputeRequirementMismatch();
    if (m.urls.length > 3) throw RETURNS.disputeTooManyImages();
  }
  for (const [i, module] of reason.modules.entries()) {
    if (!module.is_required) continue;
    const given = images.find((m) => m.index === i + 1);
    if (!given) throw RETURNS.disputeModuleMissing();
    if (given.urls.length === 0) throw RETURNS.disputeEvidenceMissing();
  }
  const text = optString(p, 'dispute_text_reason') ?? '';
  const uploaded = images.some((m) => m.urls.length > 0);
  if (r.status === 'ACCEPTED') {
    call.state.changeReturn(r.return_sn, (x) => {
      x.seller_compensation.seller_compensation_status = 'COMPENSATION_REQUESTED';
      x.disputeReasonId = reasonId;
    });
  } else {
    // dispute_reason is the legacy ReturnDisputeReason enum (NON_RECEIPT, OTHER, NOT_RECEIVED, UNKNOWN); a dispute
    // raised with a dispute_reason_id shows UNKNOWN, as the list page's example.
    r.dispute_reason = ['UNKNOWN'];
    r.dispute_text_reason = text ? [text] : [];
    r.disputeReasonId = reasonId;
    if (uploaded) r.seller_proof.seller_proof_status = 'UPLOADED';
    call.state.moveReturn(r.return_sn, 'SELLER_DISPUTE');
  }
  return { response: { return_sn: r.return_sn, msg: 'dispute return success' } };
}

export const RETURN_ENDPOINTS: Record<string, Endpoint> = {
  '/api/v2/returns/get_return_list': { method: 'GET', type: 'shop', handler: getReturnList },
  '/api/v2/returns/get_return_detail': {
    method: 'GET',
    type: 'shop',
    handler: (call) => {
      const sn = reqString(call.params, 'return_sn');
      const r = call.state.returns.get(sn);
      if (!r) throw RETURNS.notFound();
      if (r.shopId !== call.shop!.shopId) throw RETURNS.noPermission();
      return { response: returnDetail(r) };
    },
  },
  '/api/v2/returns/get_available_solutions': {
    method: 'GET',
    type: 'shop',
    handler: (call) => {
      const r = mine(call);
      if (inDispute(r)) throw RETURNS.reviewing();
      if (!negotiable(r)) throw RETURNS.offerNotAllowed();
      return { response: { return_sn: r.return_sn, ...availableSolutions(r) } };
    },
  },
  '/api/v2/returns/confirm': { method: 'POST', type: 'shop', handler: confirm },
  '/api/v2/returns/offer': { method: 'POST', type: 'shop', handler: offer },
  '/api/v2/returns/accept_offer': { method: 'POST', type: 'shop', handler: acceptOffer },
  '/api/v2/returns/get_return_dispute_reason': {
    method: 'GET',
    type: 'shop',
    handler: (call) => {
      if (optString(call.params, 'return_sn') === undefined) throw RETURNS.disputeNoReturnSn();
      mine(call, RETURNS.disputeNotFound);
      return { response: { dispute_reason_list: disputeReasonList() } };
    },
  },
  '/api/v2/returns/dispute': { method: 'POST', type: 'shop', handler: dispute },
};
