// Shops the simulator plays, and v2.shop.get_shop_info (https://open.shopee.com/documents/v2/v2.shop.get_shop_info).
// That API answers its fields at the top level, next to request_id / error / message (no `response` object), as the
// official response example shows.
import { regionInfo, type Region } from './regions';
import type { Rng } from './random';

export interface PickupAddress {
  address_id: number;
  region: string;
  state: string;
  city: string;
  district: string;
  town: string;
  address: string;
  zipcode: string;
  address_flag: string[];
}

export interface DropoffBranch {
  branch_id: number;
  region: string;
  state: string;
  city: string;
  address: string;
  zipcode: string;
  district: string;
  town: string;
}

export interface Shop {
  shopId: number;
  name: string;
  region: Region;
  currency: string;
  status: 'NORMAL' | 'BANNED' | 'FROZEN';
  isCb: boolean;
  /** The seller account that authorizes (token/get's user_id_list). */
  userId: number;
  /** Set when a code is exchanged (v2.public.get_access_token); authorization lasts 365 days (developer-guide/20). */
  authTime?: number;
  expireTime?: number;
  pickupAddresses: PickupAddress[];
  branches: DropoffBranch[];
}

export interface ShopInput {
  shopId?: number;
  name: string;
  /** SG, MY, TH, TW, VN, PH, BR, ID, MX, CO or CL. */
  region: Region;
  /** Defaults to the region's currency. */
  currency?: string;
  isCb?: boolean;
}

export const AUTHORIZATION_DAYS = 365;

export function newShop(input: ShopInput, rng: Rng): Shop {
  const info = regionInfo(input.region);
  const region = input.region;
  const shopId = input.shopId ?? Number(rng.digits(9));
  const place = info.places[0]!;
  const second = info.places[1] ?? place;
  const addr = (p: typeof place, flags: string[]): PickupAddress => ({
    address_id: Number(rng.digits(8)),
    region,
    state: p.state,
    city: p.city,
    district: p.district,
    town: '',
    address: p.street,
    zipcode: p.zipcode,
    address_flag: flags,
  });
  return {
    shopId,
    name: input.name,
    region,
    currency: input.currency ?? info.currency,
    status: 'NORMAL',
    isCb: input.isCb ?? false,
    userId: Number(rng.digits(10)),
    pickupAddresses: [addr(place, ['default_address', 'pickup_address', 'return_address']), addr(second, ['pickup_address'])],
    branches: info.places.map((p, i) => ({
      branch_id: Number(rng.digits(6)),
      region,
      state: p.state,
      city: p.city,
      address: `${info.carrier} drop-off point ${i + 1}, ${p.street}`,
      zipcode: p.zipcode,
      district: p.district,
      town: '',
    })),
  };
}

/** get_shop_info fields for a shop-level, non-SIP, non-CBSC local shop. */
export function shopInfo(shop: Shop): Record<string, unknown> {
  return {
    shop_name: shop.name,
    region: shop.region,
    status: shop.status,
    is_cb: shop.isCb,
    is_sip: false,
    is_upgraded_cbsc: false,
    merchant_id: null,
    shop_fulfillment_flag: 'Others',
    is_main_shop: false,
    is_direct_shop: false,
    linked_main_shop_id: 0,
    linked_direct_shop_list: [],
    is_one_awb: false,
    is_mart_shop: false,
    is_outlet_shop: false,
    auth_time: shop.authTime ?? 0,
    expire_time: shop.expireTime ?? 0,
  };
}
