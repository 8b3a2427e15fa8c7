import type { MarketReturn, MarketOrder, OrderPage, ShippingParameters, ShipRequest, ShopApi, ShopProfile } from '../types';
import { isAccessTokenError, type ShopeeClient } from './client';
import { toMarketReturn, type ShopeeReturn } from './return-mapping';
import { DETAIL_FIELDS, toMarketOrder, toShippingParameters, type ShopeeOrderDetail, type ShopeeShippingParameter } from './order-mapping';

/** Where a shop's access token comes from (modules/shops/shop-tokens.ts). */
export interface ShopTokenSource {
  accessToken(shopId: string): Promise<string>;
  version(shopId: string): Promise<number>;
  refresh(shopId: string, staleVersion: number): Promise<string>;
}

/** get_order_list takes update_time windows of at most 15 days (https://open.shopee.com/documents/v2/v2.order.get_order_list). */
const MAX_WINDOW_S = 15 * 86_400;
const DETAIL_BATCH = 50;

/** One linked Shopee shop, through Open Platform v2 shop APIs. */
export class ShopeeShopApi implements ShopApi {
  constructor(
    private readonly client: ShopeeClient,
    private readonly tokens: ShopTokenSource,
    readonly shopId: string,
  ) {}

  async profile(): Promise<ShopProfile> {
    const r = await this.call<{ shop_name?: string; region?: string; expire_time?: number }>('GET', '/api/v2/shop/get_shop_info');
    return {
      name: r.shop_name ?? `Shopee ${this.shopId}`,
      region: r.region ?? '',
      currency: currencyOf(r.region ?? ''),
      authExpiresAt: r.expire_time ? r.expire_time * 1000 : null,
    };
  }

  /**
   * One page of orders updated in [from, to]. The cursor carries the window being read, so a caller pages through a
   * span longer than 15 days one window after another without knowing Shopee's limit.
   */
  async ordersUpdatedBetween(from: number, to: number, cursor: string | null): Promise<OrderPage> {
    const [windowStart, inner] = cursor ? splitCursor(cursor) : [Math.floor(from / 1000), ''];
    const end = Math.floor(to / 1000);
    const windowEnd = Math.min(end, windowStart + MAX_WINDOW_S);
    const r = await this.call<{ more?: boolean; next_cursor?: string; order_list?: Array<{ order_sn: string }> }>('GET', '/api/v2/order/get_order_list', {
      time_range_field: 'update_time',
      time_from: windowStart,
      time_to: windowEnd,
      page_size: 100,
      cursor: inner,
      response_optional_fields: 'order_status',
    });
    const orders = (r.order_list ?? []).map((o) => ({ orderSn: o.order_sn }));
    if (r.more && r.next_cursor) return { orders, nextCursor: `${windowStart}|${r.next_cursor}` };
    return { orders, nextCursor: windowEnd < end ? `${windowEnd}|` : null };
  }

  async orderDetails(orderSns: readonly string[]): Promise<MarketOrder[]> {
    const out: MarketOrder[] = [];
    for (let i = 0; i < orderSns.length; i += DETAIL_BATCH) {
      const r = await this.call<{ order_list?: ShopeeOrderDetail[] }>('GET', '/api/v2/order/get_order_detail', {
        order_sn_list: orderSns.slice(i, i + DETAIL_BATCH).join(','),
        response_optional_fields: DETAIL_FIELDS,
      });
      out.push(...(r.order_list ?? []).map((o) => toMarketOrder(this.shopId, o)));
    }
    return out;
  }

  async shippingParameters(orderSn: string): Promise<ShippingParameters> {
    return toShippingParameters(await this.call<ShopeeShippingParameter>('GET', '/api/v2/logistics/get_shipping_parameter', { order_sn: orderSn }));
  }

  /** Exactly one of pickup / dropoff / non_integrated (https://open.shopee.com/documents/v2/v2.logistics.ship_order). */
  async ship(orderSn: string, request: ShipRequest): Promise<void> {
    const body =
      request.mode === 'pickup'
        ? { order_sn: orderSn, pickup: { address_id: request.addressId, pickup_time_id: request.pickupTimeId } }
        : request.mode === 'dropoff'
          ? { order_sn: orderSn, dropoff: { branch_id: request.branchId } }
          : { order_sn: orderSn, non_integrated: { tracking_number: request.trackingNumber } };
    await this.call('POST', '/api/v2/logistics/ship_order', body);
  }

  async trackingNumber(orderSn: string): Promise<string | null> {
    const r = await this.call<{ tracking_number?: string }>('GET', '/api/v2/logistics/get_tracking_number', { order_sn: orderSn });
    return r.tracking_number || null;
  }

  /**
   * Returns updated in [from, to]: get_return_list takes update_time_from/to windows of at most 15 days and page_no
   * paging (https://open.shopee.com/documents/v2/v2.returns.get_return_list); the cursor carries window and page.
   */
  async returnsUpdatedBetween(from: number, to: number, cursor: string | null): Promise<{ returns: MarketReturn[]; nextCursor: string | null }> {
    const [windowStart, page] = cursor ? splitCursor(cursor) : [Math.floor(from / 1000), '0'];
    const end = Math.floor(to / 1000);
    const windowEnd = Math.min(end, windowStart + MAX_WINDOW_S);
    const pageNo = Number(page) || 0; // page_no counts from 0 ("Default is 0")
    const r = await this.call<{ more?: boolean; return?: ShopeeReturn[] }>('GET', '/api/v2/returns/get_return_list', {
      page_no: pageNo,
      page_size: 100,
      update_time_from: windowStart,
      update_time_to: windowEnd,
    });
    const returns = (r.return ?? []).map((x) => toMarketReturn(this.shopId, x));
    if (r.more) return { returns, nextCursor: `${windowStart}|${pageNo + 1}` };
    return { returns, nextCursor: windowEnd < end ? `${windowEnd}|0` : null };
  }

  async returnDetail(returnSn: string): Promise<MarketReturn> {
    return toMarketReturn(this.shopId, await this.call<ShopeeReturn>('GET', '/api/v2/returns/get_return_detail', { return_sn: returnSn }));
  }

  /** https://open.shopee.com/documents/v2/v2.returns.confirm, or v2.returns.accept_offer when the buyer's offer waits. */
  async acceptReturn(returnSn: string, negotiationPending: boolean): Promise<void> {
    await this.call('POST', negotiationPending ? '/api/v2/returns/accept_offer' : '/api/v2/returns/confirm', { return_sn: returnSn });
  }

  /** A shop API call; a refused access token is refreshed (once across instances) and the call made again. */
  private async call<T>(method: 'GET' | 'POST', path: string, params: Record<string, string | number> | object = {}): Promise<T> {
    const version = await this.tokens.version(this.shopId);
    const token = await this.tokens.accessToken(this.shopId);
    try {
      return await this.client.shop<T>(method, path, { shopId: this.shopId, accessToken: token }, params);
    } catch (err) {
      if (!isAccessTokenError(err)) throw err;
      const fresh = await this.tokens.refresh(this.shopId, version);
      return this.client.shop<T>(method, path, { shopId: this.shopId, accessToken: fresh }, params);
    }
  }
}

function splitCursor(cursor: string): [number, string] {
  const bar = cursor.indexOf('|');
  return [Number(cursor.slice(0, bar)), cursor.slice(bar + 1)];
}

/** Shopee markets and their currencies (get_shop_info answers the region only). */
const CURRENCIES: Record<string, string> = {
  SG: 'SGD',
  MY: 'MYR',
  TH: 'THB',
  TW: 'TWD',
  VN: 'VND',
  PH: 'PHP',
  ID: 'IDR',
  BR: 'BRL',
  MX: 'MXN',
  CO: 'COP',
  CL: 'CLP',
  PL: 'PLN',
};
export const currencyOf = (region: string): string => CURRENCIES[region.toUpperCase()] ?? '';
