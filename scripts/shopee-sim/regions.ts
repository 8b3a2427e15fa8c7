// Per-region data for realistic fakes: currency (https://open.shopee.com/developer-guide/ "Data Definition -
// Currency"), how many decimals Shopee shows for it, a rough rate from USD for prices, carriers and addresses.

export type Region = 'SG' | 'MY' | 'TH' | 'TW' | 'VN' | 'PH' | 'BR' | 'ID' | 'MX' | 'CO' | 'CL';

export interface RegionInfo {
  currency: string;
  /** 0 for currencies Shopee prices without cents (VND, IDR, TWD, CLP, COP). */
  decimals: 0 | 2;
  perUsd: number;
  /** Price steps for zero-decimal currencies (VND 1000, IDR 100). */
  step: number;
  carrier: string;
  channelId: number;
  phonePrefix: string;
  places: { state: string; city: string; district: string; street: string; zipcode: string }[];
}

export const REGIONS: Record<Region, RegionInfo> = {
  SG: {
    currency: 'SGD',
    decimals: 2,
    perUsd: 1.35,
    step: 1,
    carrier: 'Standard Delivery',
    channelId: 18025,
    phonePrefix: '658',
    places: [
      { state: '', city: '', district: '', street: '12 Tampines Street 81, #05-123', zipcode: '520012' },
      { state: '', city: '', district: '', street: '88 Jurong West Avenue 1, #10-45', zipcode: '640088' },
    ],
  },
  MY: {
    currency: 'MYR',
    decimals: 2,
    perUsd: 4.7,
    step: 1,
    carrier: 'SPX Express',
    channelId: 2000,
    phonePrefix: '6012',
    places: [
      { state: 'Selangor', city: 'Petaling Jaya', district: '', street: 'No 15, Jalan SS 2/24', zipcode: '47300' },
      { state: 'Johor', city: 'Johor Bahru', district: '', street: '23, Jalan Molek 1/9, Taman Molek', zipcode: '81100' },
    ],
  },
  TH: {
    currency: 'THB',
    decimals: 2,
    perUsd: 36,
    step: 1,
    carrier: 'Standard Delivery - ส่งธรรมดาในประเทศ',
    channelId: 70020,
    phonePrefix: '668',
    places: [{ state: 'กรุงเทพมหานคร', city: 'เขตบางรัก', district: 'แขวงสีลม', street: '99/1 ถนนสีลม', zipcode: '10500' }],
  },
  TW: {
    currency: 'TWD',
    decimals: 0,
    perUsd: 32,
    step: 1,
    carrier: '蝦皮店到店',
    channelId: 30029,
    phonePrefix: '8869',
    places: [
      { state: '台北市', city: '大安區', district: '', street: '忠孝東路四段 100 號 5 樓', zipcode: '106' },
      { state: '台中市', city: '西屯區', district: '', street: '台灣大道三段 99 號', zipcode: '407' },
    ],
  },
  VN: {
    currency: 'VND',
    decimals: 0,
    perUsd: 25000,
    step: 1000,
    carrier: 'Nhanh',
    channelId: 50018,
    phonePrefix: '849',
    places: [{ state: 'TP. Hồ Chí Minh', city: 'Quận 1', district: 'Phường Bến Nghé', street: '12 Nguyễn Huệ', zipcode: '' }],
  },
  PH: {
    currency: 'PHP',
    decimals: 2,
    perUsd: 56,
    step: 1,
    carrier: 'Standard Local',
    channelId: 48002,
    phonePrefix: '639',
    places: [{ state: 'Metro Manila', city: 'Makati City', district: 'Poblacion', street: '5th Floor, 123 Jupiter Street', zipcode: '1210' }],
  },
  BR: {
    currency: 'BRL',
    decimals: 2,
    perUsd: 5,
    step: 1,
    carrier: 'Shopee Xpress',
    channelId: 90001,
    phonePrefix: '5511',
    places: [{ state: 'São Paulo', city: 'São Paulo', district: 'Pinheiros', street: 'Rua dos Pinheiros, 1000', zipcode: '05422-001' }],
  },
  ID: {
    currency: 'IDR',
    decimals: 0,
    perUsd: 16000,
    step: 100,
    carrier: 'Reguler (Cashless)',
    channelId: 8003,
    phonePrefix: '628',
    places: [{ state: 'DKI Jakarta', city: 'Jakarta Selatan', district: 'Kebayoran Baru', street: 'Jl. Senopati No. 10', zipcode: '12190' }],
  },
  MX: {
    currency: 'MXN',
    decimals: 2,
    perUsd: 18,
    step: 1,
    carrier: 'Envío Estándar',
    channelId: 120001,
    phonePrefix: '5255',
    places: [{ state: 'Ciudad de México', city: 'Cuauhtémoc', district: 'Roma Norte', street: 'Calle Orizaba 101', zipcode: '06700' }],
  },
  CO: {
    currency: 'COP',
    decimals: 0,
    perUsd: 4000,
    step: 100,
    carrier: 'Envío Estándar',
    channelId: 130001,
    phonePrefix: '573',
    places: [{ state: 'Bogotá D.C.', city: 'Bogotá', district: 'Chapinero', street: 'Calle 72 # 10-34', zipcode: '110231' }],
  },
  CL: {
    currency: 'CLP',
    decimals: 0,
    perUsd: 950,
    step: 10,
    carrier: 'Envío Estándar',
    channelId: 140001,
    phonePrefix: '569',
    places: [{ state: 'Región Metropolitana', city: 'Santiago', district: 'Providencia', street: 'Av. Providencia 1234', zipcode: '7500000' }],
  },
};

export function regionInfo(region: string): RegionInfo {
  const info = REGIONS[region as Region];
  if (!info) throw new Error(`unknown Shopee region ${region} (one of ${Object.keys(REGIONS).join(', ')})`);
  return info;
}

/** A USD price in the region's currency, rounded the way Shopee shows it. */
export function localPrice(info: RegionInfo, usd: number): number {
  const raw = usd * info.perUsd;
  if (info.decimals === 0) return Math.max(info.step, Math.round(raw / info.step) * info.step);
  return Math.round(raw * 100) / 100;
}

export function roundMoney(info: RegionInfo, amount: number): number {
  return info.decimals === 0 ? Math.round(amount) : Math.round(amount * 100) / 100;
}
