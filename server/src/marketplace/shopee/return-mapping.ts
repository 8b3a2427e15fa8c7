import { RETURN_DEADLINES, type MarketReturn, type ReturnDeadlineKey } from '../types';

/**
 * Shopee's return fields → the product's (https://open.shopee.com/documents/v2/v2.returns.get_return_list and
 * get_return_detail; enums in https://open.shopee.com/developer-guide/227). Times in seconds; `return_solution` 0 is
 * return and refund, 1 refund only; offer_due_date sits inside `negotiation` on the detail.
 */
export interface ShopeeReturn {
  return_sn: string | number;
  order_sn: string;
  status: string;
  reason?: string;
  text_reason?: string;
  refund_amount?: number;
  currency?: string;
  return_solution?: number;
  negotiation_status?: string;
  negotiation?: { negotiation_status?: string; offer_due_date?: number };
  create_time: number;
  update_time: number;
  due_date?: number;
  return_ship_due_date?: number;
  return_seller_due_date?: number;
  seller_evidence_deadline?: number;
  seller_compensation_due_date?: number;
  /** get_return_detail nests these two. */
  seller_proof?: { seller_evidence_deadline?: number };
  seller_compensation?: { seller_compensation_due_date?: number };
}

export function toMarketReturn(shopId: string, r: ShopeeReturn): MarketReturn {
  const seconds: Partial<Record<ReturnDeadlineKey, number | undefined>> = {
    due_date: r.due_date,
    return_ship_due_date: r.return_ship_due_date,
    return_seller_due_date: r.return_seller_due_date,
    offer_due_date: r.negotiation?.offer_due_date,
    seller_evidence_deadline: r.seller_proof?.seller_evidence_deadline ?? r.seller_evidence_deadline,
    seller_compensation_due_date: r.seller_compensation?.seller_compensation_due_date ?? r.seller_compensation_due_date,
  };
  const deadlines: Partial<Record<ReturnDeadlineKey, number>> = {};
  for (const key of RETURN_DEADLINES) {
    const s = seconds[key];
    if (typeof s === 'number' && s > 0) deadlines[key] = s * 1000;
  }
  return {
    returnSn: String(r.return_sn),
    orderSn: r.order_sn,
    shopId,
    status: r.status,
    reason: r.reason || null,
    textReason: r.text_reason || null,
    solution: r.return_solution === 1 ? 'refund_only' : 'return_refund',
    refund: Number(r.refund_amount ?? 0),
    currency: r.currency ?? '',
    negotiationStatus: r.negotiation?.negotiation_status ?? r.negotiation_status ?? null,
    deadlines,
    createTime: r.create_time * 1000,
    updateTime: r.update_time * 1000,
  };
}
