import type { OrderDetail, OrderPerson, OrderSummary } from '@shopcrew/shared';
import type { Order, OrderItem, OrderTimelineEntry } from './order.entity';

export const orderUrl = (orderSn: string): string => `/orders/${encodeURIComponent(orderSn)}`;

/** `SGD 25.80` for templates (the H5 formats with Intl itself). */
export const formatMoney = (amount: string, currency: string): string => `${currency} ${amount}`.trim();

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** What a member may see of an order: amounts and the buyer only with orders:details in its shop. */
export interface ViewContext {
  names: Map<string, string>;
  shopNames: Map<string, string>;
  details: boolean;
}

export function toSummary(o: Order, v: ViewContext): OrderSummary {
  return {
    orderSn: o.orderSn,
    shopId: o.shopId,
    shopName: v.shopNames.get(o.shopId) ?? o.shopId,
    status: o.status,
    buyer: v.details ? o.buyer : null,
    total: v.details ? { amount: Number(o.total), currency: o.currency } : null,
    itemCount: o.itemCount,
    assignee: o.assignee ? person(o.assignee, v.names) : null,
    claimedAt: iso(o.claimedAt),
    createTime: iso(o.createdAt)!,
    updateTime: iso(o.marketUpdatedAt)!,
    shipBy: iso(o.shipBy),
    tags: o.tags ?? [],
  };
}

export function toDetail(o: Order, items: OrderItem[], timeline: OrderTimelineEntry[], v: ViewContext, can: OrderDetail['can']): OrderDetail {
  return {
    ...toSummary(o, v),
    items: items.map((i) => ({
      itemId: i.itemId,
      name: i.name,
      sku: i.sku,
      variation: i.variation,
      quantity: i.quantity,
      price: v.details ? { amount: Number(i.price), currency: o.currency } : null,
    })),
    package: o.packageNumber ? { packageNumber: o.packageNumber, logisticsStatus: o.logisticsStatus ?? '', carrier: o.carrier } : null,
    trackingNumber: o.trackingNumber,
    messageToSeller: v.details ? o.messageToSeller : null,
    timeline: timeline.map((t) => ({ at: iso(t.at)!, kind: t.kind, actor: t.actor ? person(t.actor, v.names) : null, text: t.text, from: t.from, to: t.to })),
    can,
  };
}

const person = (userid: string, names: Map<string, string>): OrderPerson => ({ userid, name: names.get(userid) ?? userid });
