// Realistic fake orders: order_sn like Shopee's (YYMMDD of the order date in UTC+8, then 8 of [0-9A-Z], e.g.
// "220810QSK8S7BX" in the push examples), 1–3 items with Chinese or English names, prices in the shop currency,
// recipient fields masked the way get_order_detail's official response example shows them ("P******n", "******64").
import type { Order, OrderItem, OrderStatus, ShippingMode } from './orders';
import type { Rng } from './random';
import { localPrice, regionInfo, roundMoney } from './regions';
import type { Shop } from './shops';

interface Product {
  en: string;
  zh: string;
  models: string[];
  usd: number;
  weight: number;
}

const CATALOGUE: Product[] = [
  { en: 'Wireless Bluetooth Earbuds TWS 5.3 Noise Cancelling', zh: '藍牙無線耳機 TWS 5.3 降噪', models: ['Black', 'White'], usd: 18.9, weight: 0.12 },
  { en: 'Stainless Steel Vacuum Flask 500ml', zh: '不鏽鋼保溫瓶 500ml', models: ['Silver', 'Pink', 'Navy'], usd: 9.5, weight: 0.35 },
  { en: 'Cotton Oversized T-Shirt Unisex', zh: '純棉寬鬆短袖T恤 男女同款', models: ['M,White', 'L,White', 'XL,Black'], usd: 7.2, weight: 0.2 },
  {
    en: 'Phone Case for iPhone 15 Shockproof Clear',
    zh: 'iPhone 15 透明防摔手機殼',
    models: ['iPhone 15', 'iPhone 15 Pro', 'iPhone 15 Pro Max'],
    usd: 3.5,
    weight: 0.05,
  },
  { en: 'Korean Skincare Hydrating Toner 150ml', zh: '韓國保濕化妝水 150ml', models: ['150ml'], usd: 12.8, weight: 0.25 },
  { en: 'USB-C Fast Charging Cable 1m (2-pack)', zh: 'USB-C 快充線 1米（2條裝）', models: ['1m', '2m'], usd: 4.1, weight: 0.08 },
  { en: 'Non-stick Frying Pan 28cm Induction Ready', zh: '不沾平底鍋 28cm 電磁爐適用', models: ['24cm', '28cm'], usd: 21.0, weight: 1.1 },
  { en: 'Kids Building Blocks Set 500 pcs', zh: '兒童積木套裝 500 片', models: ['500 pcs', '1000 pcs'], usd: 15.4, weight: 0.9 },
  { en: 'Instant Noodle Variety Pack (10 packs)', zh: '泡麵綜合組（10 包）', models: ['Spicy', 'Original'], usd: 6.3, weight: 1.0 },
  { en: 'LED Desk Lamp Eye-care Dimmable', zh: 'LED 護眼檯燈 可調光', models: ['White', 'Wood'], usd: 16.7, weight: 0.7 },
];

const BUYER_HANDLES = [
  'jasmine_tan88',
  'kevinlim.sg',
  'meiling0420',
  'xt4fdsf96j',
  'arif.rahman',
  'nguyenvanan97',
  'chen_yuting',
  'mariasantos',
  'budi_s',
  'somchai.k',
];
const BUYER_NAMES = [
  'Tan Mei Ling',
  'Kevin Lim',
  '陳雅婷',
  'Nguyen Van An',
  'Maria Santos',
  'Budi Santoso',
  'Somchai K.',
  'Arif Rahman',
  '林志明',
  'Ana Souza',
];
const MESSAGES = ['', '', '', 'Please pack carefully, it is a gift.', '請幫我用紙箱包裝，謝謝', 'Deliver after 6pm please'];
const PAYMENTS: { method: string; cod: boolean }[] = [
  { method: 'ShopeePay', cod: false },
  { method: 'Credit Card/Debit Card', cod: false },
  { method: 'Online Banking', cod: false },
  { method: 'SPayLater', cod: false },
  { method: 'Cash on Delivery', cod: true },
];

const SN_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** YYMMDD of `unixSeconds` in UTC+8 (Shopee's order_sn prefix). */
export function snDatePrefix(unixSeconds: number): string {
  const d = new Date((unixSeconds + 8 * 3600) * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`;
}

export const newOrderSn = (rng: Rng, createTime: number): string => `${snDatePrefix(createTime)}${rng.chars(8, SN_ALPHABET)}`;

/** "P******n": first and last character kept, as in get_order_detail's example (also how penalised apps see names). */
export function maskName(s: string): string {
  const chars = [...s];
  if (chars.length <= 2) return `${chars[0] ?? ''}******`;
  return `${chars[0]}******${chars[chars.length - 1]}`;
}

export interface OrderInput {
  order_sn?: string;
  order_status?: OrderStatus;
  create_time?: number;
  days_to_ship?: number;
  message_to_seller?: string;
  buyer_username?: string;
  items?: Partial<OrderItem>[];
  cod?: boolean;
  shipping?: ShippingMode;
  note?: string;
}

export function buildOrder(shop: Shop, input: OrderInput, rng: Rng, now: number, maskBuyerUsername: boolean): Order {
  const info = regionInfo(shop.region);
  const create = input.create_time ?? now;
  const daysToShip = input.days_to_ship ?? rng.int(2, 3);
  const useZh = shop.region === 'TW' || ((shop.region === 'SG' || shop.region === 'MY') && rng.chance(0.3));
  const count = input.items?.length ?? rng.int(1, 3);
  const items: OrderItem[] = [];
  for (let i = 0; i < count; i++) {
    const product = rng.pick(CATALOGUE);
    const original = localPrice(info, product.usd * (0.9 + rng.next() * 0.4));
    const discounted = rng.chance(0.5) ? roundMoney(info, original * 0.85) : original;
    const itemId = Number(rng.digits(11));
    const model = rng.pick(product.models);
    const base: OrderItem = {
      item_id: itemId,
      item_name: useZh ? product.zh : product.en,
      item_sku: `SKU-${rng.chars(6, SN_ALPHABET)}`,
      model_id: Number(rng.digits(11)),
      model_name: model,
      model_sku: `SKU-${rng.chars(4, SN_ALPHABET)}-${i + 1}`,
      model_quantity_purchased: rng.chance(0.8) ? 1 : rng.int(2, 3),
      model_original_price: original,
      model_discounted_price: discounted,
      order_item_id: itemId,
      weight: product.weight,
      image_url: `https://cf.shopee.sg/file/sg-11134207-${rng.chars(24, 'abcdefghijklmnopqrstuvwxyz0123456789')}`,
    };
    items.push({ ...base, ...(input.items?.[i] ?? {}) });
  }
  const payment = input.cod === undefined ? rng.pick(PAYMENTS) : input.cod ? PAYMENTS[4]! : PAYMENTS[0]!;
  const feeUsd = rng.pick([0, 0, 1.5, 2.9]);
  const shippingFee = feeUsd ? localPrice(info, feeUsd) : 0;
  const subtotal = items.reduce((sum, it) => sum + it.model_discounted_price * it.model_quantity_purchased, 0);
  const place = rng.pick(info.places);
  const buyerName = rng.pick(BUYER_NAMES);
  const phone = `${info.phonePrefix}${rng.chars(8, '0123456789')}`;
  const handle = input.buyer_username ?? rng.pick(BUYER_HANDLES);
  const status = input.order_status ?? 'READY_TO_SHIP';
  const paid = status !== 'UNPAID';
  return {
    order_sn: input.order_sn ?? newOrderSn(rng, create),
    shopId: shop.shopId,
    region: shop.region,
    currency: shop.currency,
    cod: payment.cod,
    order_status: status,
    create_time: create,
    // A back-dated order (create_time given) has not changed since; a new one changes now.
    update_time: input.create_time === undefined ? now : create,
    pay_time: paid ? create + rng.int(5, 120) : null,
    days_to_ship: daysToShip,
    ship_by_date: create + daysToShip * 86400,
    message_to_seller: input.message_to_seller ?? rng.pick(MESSAGES),
    note: input.note ?? '',
    note_update_time: 0,
    buyer_user_id: Number(rng.digits(10)),
    buyer_username: maskBuyerUsername ? maskName(handle) : handle,
    recipient_address: {
      name: maskName(buyerName),
      phone: `******${phone.slice(-2)}`,
      town: '',
      district: place.district,
      city: place.city,
      state: place.state,
      region: shop.region,
      zipcode: place.zipcode,
      full_address: `${[...place.street].slice(0, 3).join('')}******`,
    },
    items,
    package: {
      package_number: `OFG${rng.digits(15)}`,
      forder_id: rng.digits(19),
      logistics_status: paid ? 'LOGISTICS_READY' : 'LOGISTICS_NOT_START',
      logistics_channel_id: info.channelId,
      shipping_carrier: info.carrier,
      tracking_number: '',
    },
    payment_method: payment.method,
    shipping_carrier: info.carrier,
    estimated_shipping_fee: localPrice(info, 2.5),
    actual_shipping_fee: 0,
    total_amount: roundMoney(info, subtotal + shippingFee),
    cancel_by: '',
    cancel_reason: '',
    buyer_cancel_reason: '',
    pickup_done_time: 0,
    shipping: input.shipping ?? 'pickup_or_dropoff',
  };
}

/** A tracking number in the style of the region's default carrier (SPX-like for most, BR… for Brazil). */
export function newTrackingNumber(rng: Rng, region: string): string {
  if (region === 'BR') return `BR${rng.digits(12)}${rng.chars(4, SN_ALPHABET)}`;
  if (region === 'TW') return `TW${rng.digits(12)}`;
  return `SPX${region}${rng.digits(11)}`;
}
