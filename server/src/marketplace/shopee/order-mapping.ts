import { ORDER_STATUSES, type OrderStatus } from '@shopcrew/shared';
import type { MarketOrder, ShippingParameters } from '../types';

/**
 * Shopee's order fields → the product's (https://open.shopee.com/documents/v2/v2.order.get_order_detail). Times come
 * in Unix seconds; amounts as decimal numbers in the shop's currency.
 */
export interface ShopeeOrderDetail {
  order_sn: string;
  order_status: string;
  currency?: string;
  total_amount?: number;
  buyer_username?: string;
  message_to_seller?: string;
  create_time: number;
  update_time: number;
  ship_by_date?: number;
  item_list?: Array<{
    item_id: number;
    item_name: string;
    item_sku?: string;
    model_name?: string;
    model_quantity_purchased?: number;
    model_discounted_price?: number;
  }>;
  package_list?: Array<{ package_number: string; logistics_status?: string; shipping_carrier?: string }>;
}

/** What get_order_detail is asked to add to its default fields. */
export const DETAIL_FIELDS = 'buyer_user_id,buyer_username,item_list,package_list,total_amount,shipping_carrier,pay_time';

export function toMarketOrder(shopId: string, o: ShopeeOrderDetail): MarketOrder {
  return {
    orderSn: o.order_sn,
    shopId,
    status: toStatus(o.order_status),
    currency: o.currency ?? '',
    total: Number(o.total_amount ?? 0),
    buyer: o.buyer_username ?? null,
    items: (o.item_list ?? []).map((i) => ({
      itemId: String(i.item_id),
      name: i.item_name,
      sku: i.item_sku || null,
      variation: i.model_name || null,
      quantity: Number(i.model_quantity_purchased ?? 1),
      price: Number(i.model_discounted_price ?? 0),
    })),
    packages: (o.package_list ?? []).map((p) => ({
      packageNumber: p.package_number,
      logisticsStatus: p.logistics_status ?? '',
      carrier: p.shipping_carrier || null,
    })),
    trackingNumber: null,
    messageToSeller: o.message_to_seller || null,
    createTime: o.create_time * 1000,
    updateTime: o.update_time * 1000,
    shipBy: o.ship_by_date ? o.ship_by_date * 1000 : null,
  };
}

/** An order_status the product does not know yet is kept in view as PENDING rather than dropped. */
function toStatus(s: string): OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(s) ? (s as OrderStatus) : 'PENDING';
}

/** https://open.shopee.com/documents/v2/v2.logistics.get_shipping_parameter */
export interface ShopeeShippingParameter {
  info_needed?: { pickup?: string[]; dropoff?: string[]; non_integrated?: string[] };
  pickup?: {
    address_list?: Array<{
      address_id: number;
      region?: string;
      state?: string;
      city?: string;
      district?: string;
      address?: string;
      zipcode?: string;
      time_slot_list?: Array<{ date?: number; time_text?: string; pickup_time_id: string }>;
    }>;
  };
  dropoff?: { branch_list?: Array<{ branch_id: number; region?: string; state?: string; city?: string; address?: string; zipcode?: string }> };
}

export function toShippingParameters(p: ShopeeShippingParameter): ShippingParameters {
  const needed = p.info_needed ?? {};
  const place = (a: { address?: string; district?: string; city?: string; state?: string; zipcode?: string }) =>
    [a.address, a.district, a.city, a.state, a.zipcode].filter(Boolean).join(', ');
  return {
    pickup: needed.pickup
      ? {
          addresses: (p.pickup?.address_list ?? []).map((a) => ({
            addressId: a.address_id,
            address: place(a),
            timeSlots: (a.time_slot_list ?? []).map((t) => ({
              pickupTimeId: t.pickup_time_id,
              text: t.time_text || (t.date ? new Date(t.date * 1000).toISOString().slice(0, 10) : t.pickup_time_id),
            })),
          })),
        }
      : null,
    dropoff: needed.dropoff
      ? {
          branches: (p.dropoff?.branch_list ?? []).map((b) => ({
            branchId: b.branch_id,
            name: [b.city, b.address].filter(Boolean).join(' '),
            address: place(b),
          })),
        }
      : null,
    nonIntegrated: Boolean(needed.non_integrated),
  };
}
