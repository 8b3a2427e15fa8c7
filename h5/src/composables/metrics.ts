import { METRIC_DEFS, METRIC_KEYS, type MetricKey, type MetricScope, type MetricSeries, type MetricsResponse, type MetricUnit } from '@shopcrew/shared';
import { addDays, dayIndex, daysBetween, isDay } from './projectDates';

/**
 * The rules behind the 数据 page that need no Vue, no store and no messages: the filters ⇄ URL query (a preset range
 * or a custom one, a shop, day or week), a range's from/to on this device's calendar, the API's query, numbers in the
 * UI language (money per currency, rates, minutes), and GET /api/metrics answers turned into what the page draws: KPI
 * totals with their trend, chart lines on a gap-free axis (one chart per currency: money is never added or drawn across
 * currencies), the 成员 table and the SKU list. Pure, so test/unit/h5/metrics.test.ts runs them as they are.
 */

type QueryValue = string | null | readonly (string | null)[] | undefined;

const first = (v: QueryValue): string | undefined => {
  const value = Array.isArray(v) ? v[0] : v;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

const isOne = <T extends string>(list: readonly T[], value: string | undefined): value is T => !!value && (list as readonly string[]).includes(value);

// ---- what the page shows ----

/** The KPI cards, in order (team scope: the range's total and the daily trend). */
export const KPI_METRICS = ['gmv', 'orders', 'aov', 'refund_rate', 'on_time_rate', 'claim_minutes'] as const satisfies readonly MetricKey[];
export type KpiMetric = (typeof KPI_METRICS)[number];

/** The metrics the per-shop chart offers: every one with a shop scope. */
export const CHART_METRICS: readonly MetricKey[] = METRIC_KEYS.filter((k) => METRIC_DEFS[k].scopes.includes('shop'));

/** The 成员 table's two columns (member scope). */
export const MEMBER_METRICS = ['claimed_orders', 'claim_minutes'] as const satisfies readonly MetricKey[];

/** The top SKUs list's two figures (sku scope). */
export const SKU_METRICS = ['units', 'gmv'] as const satisfies readonly MetricKey[];

/** How many members and SKUs the lists show. */
export const TOP_MEMBERS = 20;
export const TOP_SKUS = 10;
/** The per-shop chart's lines at most (the API's own default). */
export const TOP_SHOPS = 20;

// ---- the filters ⇄ URL query (/data?range=30d&shop=1001&g=week&metric=orders) ----

export const RANGE_PRESETS = ['7d', '30d', '90d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const PRESET_DAYS: Readonly<Record<RangePreset, number>> = { '7d': 7, '30d': 30, '90d': 90 };
export const GRANULARITIES = ['day', 'week'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** The server's limit for one query: `to` at most 731 days after `from`. */
export const MAX_SPAN_DAYS = 731;

export interface MetricFilters {
  /** A preset (the last N days up to today) or `custom` (`from`–`to`). */
  range: RangePreset | 'custom';
  /** Only for `custom`: the first and last day, both included. */
  from?: string;
  to?: string;
  /** One shop's id; absent: 全部店铺 (every shop the member may see). */
  shop?: string;
  /** The per-shop chart's buckets. */
  granularity: Granularity;
  /** The per-shop chart's metric. */
  metric: MetricKey;
}

const DEFAULT_RANGE: RangePreset = '7d';
export const DEFAULT_FILTERS: Readonly<MetricFilters> = { range: DEFAULT_RANGE, granularity: 'day', metric: 'gmv' };

/** A custom range that the server will take: two real days, in order, at most MAX_SPAN_DAYS apart. */
export function isValidRange(from: string | undefined, to: string | undefined): boolean {
  if (!isDay(from) || !isDay(to)) return false;
  const span = daysBetween(from, to);
  return span >= 0 && span <= MAX_SPAN_DAYS;
}

/**
 * `range=7d|30d|90d`, or `from` + `to` (a custom range), `shop` (digits, as the API wants), `g=week` and a `metric` the
 * chart offers; anything else falls back to the defaults (the last 7 days, every shop, by day, GMV).
 */
export function filtersFromQuery(query: Readonly<Record<string, QueryValue>>): MetricFilters {
  const range = first(query['range']);
  const from = first(query['from']);
  const to = first(query['to']);
  const shop = first(query['shop']);
  const granularity = first(query['g']);
  const metric = first(query['metric']);
  const filters: MetricFilters = { ...DEFAULT_FILTERS };
  if (isOne(RANGE_PRESETS, range)) filters.range = range;
  else if (isValidRange(from, to)) Object.assign(filters, { range: 'custom', from, to });
  if (shop && /^\d{1,32}$/.test(shop)) filters.shop = shop;
  if (isOne(GRANULARITIES, granularity)) filters.granularity = granularity;
  if (isOne(CHART_METRICS, metric)) filters.metric = metric;
  return filters;
}

/** The URL query of some filters, defaults left out. */
export function queryFromFilters(filters: MetricFilters): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.range === 'custom' && isValidRange(filters.from, filters.to)) {
    query['from'] = filters.from!;
    query['to'] = filters.to!;
  } else if (filters.range !== 'custom' && filters.range !== DEFAULT_RANGE) query['range'] = filters.range;
  if (filters.shop) query['shop'] = filters.shop;
  if (filters.granularity !== DEFAULT_FILTERS.granularity) query['g'] = filters.granularity;
  if (filters.metric !== DEFAULT_FILTERS.metric) query['metric'] = filters.metric;
  return query;
}

export interface DayRange {
  from: string;
  to: string;
}

/**
 * The days a range covers on this device's calendar (`today` is the device's local day: staff work in the corp's time
 * zone, and the server counts days there): a preset is the last N days up to today, both included.
 */
export function rangeOf(filters: Pick<MetricFilters, 'range' | 'from' | 'to'>, today: string): DayRange {
  if (filters.range === 'custom' && isValidRange(filters.from, filters.to)) return { from: filters.from!, to: filters.to! };
  const days = PRESET_DAYS[filters.range === 'custom' ? DEFAULT_RANGE : filters.range];
  return { from: addDays(today, -(days - 1)), to: today };
}

/** The earliest day a custom range may start (two years back, as far as one query reaches). */
export const earliestDay = (today: string): string => addDays(today, -MAX_SPAN_DAYS);

export interface MetricsQuery {
  metric: MetricKey;
  scope: MetricScope;
  from: string;
  to: string;
  granularity: Granularity;
  shop?: string;
  limit?: number;
}

/** GET /api/metrics's query for one metric and scope over the filters' range and shop. */
export function metricsQuery(
  filters: MetricFilters,
  today: string,
  metric: MetricKey,
  scope: MetricScope,
  options: { granularity?: Granularity; limit?: number } = {},
): MetricsQuery {
  const { from, to } = rangeOf(filters, today);
  return {
    metric,
    scope,
    from,
    to,
    granularity: options.granularity ?? filters.granularity,
    ...(filters.shop ? { shop: filters.shop } : {}),
    ...(options.limit ? { limit: options.limit } : {}),
  };
}

/** What each part of the page depends on: a part reloads only when its own key changes. */
export const sectionKeys = (filters: MetricFilters, today: string) => {
  const { from, to } = rangeOf(filters, today);
  const base = [from, to, filters.shop ?? ''];
  return {
    kpis: JSON.stringify(base),
    chart: JSON.stringify([...base, filters.granularity, filters.metric]),
    members: JSON.stringify(base),
    skus: JSON.stringify(base),
  };
};

// ---- the axis: every day (or week) of the range, gaps filled ----

/** The Monday of a day's ISO week (the API's week bucket). */
export function weekOf(day: string): string {
  const index = dayIndex(day);
  // 1970-01-01 was a Thursday: day index 0 is weekday 3 counting from Monday = 0.
  const weekday = (((index + 3) % 7) + 7) % 7;
  return addDays(day, -weekday);
}

/** The buckets of a range: each day, or each week's Monday (the first week may start before `from`). */
export function axisOf(from: string, to: string, granularity: Granularity): string[] {
  if (!isDay(from) || !isDay(to) || dayIndex(from) > dayIndex(to)) return [];
  const out: string[] = [];
  const step = granularity === 'week' ? 7 : 1;
  for (let day = granularity === 'week' ? weekOf(from) : from; dayIndex(day) <= dayIndex(to) && out.length <= 800; day = addDays(day, step)) out.push(day);
  return out;
}

/**
 * A bucket with no rows: nothing sold, shipped or claimed is 0 (counts, money); a rate or an average over nothing is
 * undefined, drawn as a gap.
 */
export const emptyValue = (unit: MetricUnit): number | null => (unit === 'count' || unit === 'money' ? 0 : null);

/** A series' values on the axis, gaps filled by `emptyValue`. */
export function valuesOn(series: Pick<MetricSeries, 'points'>, axis: readonly string[], unit: MetricUnit): (number | null)[] {
  const byDay = new Map(series.points.map((p) => [p.day, p.value]));
  return axis.map((day) => (byDay.has(day) ? byDay.get(day)! : emptyValue(unit)));
}

// ---- KPI cards (team scope) ----

export interface KpiFigure {
  /** For money; null for counts, rates and minutes. */
  currency: string | null;
  /** Over the whole range (the server divides sums); null for a rate over nothing. */
  total: number | null;
  /** Each day's value, on the range's axis. */
  trend: (number | null)[];
}

/**
 * A KPI card's figures from a team-scope answer: one per currency for money (GMV in SGD and in MYR are never added),
 * else one. None when the answer has no series (nothing happened in the range).
 */
export function kpiFigures(response: MetricsResponse): KpiFigure[] {
  const axis = axisOf(response.from, response.to, response.granularity);
  return response.series.map((s) => ({ currency: s.currency, total: s.total, trend: valuesOn(s, axis, response.metric.unit) }));
}

/** Whether the KPI answers hold no figure at all: the page's 暂无数据 (the first orders show the day after they sync). */
export const noFigures = (responses: readonly (MetricsResponse | null | undefined)[]): boolean => responses.every((r) => !r || r.series.length === 0);

// ---- the per-shop chart ----

export interface ChartLine {
  key: string;
  name: string;
  values: (number | null)[];
}

export interface ChartGroup {
  /** The currency of every line in it (money); null for other units. */
  currency: string | null;
  axis: string[];
  lines: ChartLine[];
}

/**
 * An answer's series as charts: for money one chart per currency, by currency code (a currency's lines only, in the
 * answer's order: largest total first), else one chart. A line is named by its series' label (shop, member, SKU); the chart says the
 * currency.
 */
export function chartGroups(response: MetricsResponse): ChartGroup[] {
  const axis = axisOf(response.from, response.to, response.granularity);
  const unit = response.metric.unit;
  const groups = new Map<string, ChartGroup>();
  for (const s of response.series) {
    const currency = unit === 'money' ? s.currency : null;
    const id = currency ?? '';
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { currency, axis, lines: [] }));
    group.lines.push({ key: s.key, name: s.label || s.key, values: valuesOn(s, axis, unit) });
  }
  return [...groups.values()].sort((a, b) => (a.currency ?? '').localeCompare(b.currency ?? ''));
}

/** The shops an answer names (shop scope: key = shop id, label = name), to offer in the shop picker. */
export const shopsIn = (response: MetricsResponse | null | undefined): { shopId: string; name: string }[] =>
  response?.scope === 'shop' ? response.series.map((s) => ({ shopId: s.key, name: s.label || s.key })) : [];

export interface ShopOption {
  shopId: string;
  name: string;
}

/**
 * The shop picker's shops: those GET /api/shops lists and those the figures named, once each, by name, only where the
 * member may read figures (`may`). (GET /api/shops lists only shops with orders:read: a finance member would see none.)
 */
export function shopOptions(listed: readonly ShopOption[], seen: readonly ShopOption[], may: (shopId: string) => boolean): ShopOption[] {
  const byId = new Map<string, ShopOption>();
  for (const shop of [...listed, ...seen]) if (!byId.has(shop.shopId) && may(shop.shopId)) byId.set(shop.shopId, { shopId: shop.shopId, name: shop.name });
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.shopId.localeCompare(b.shopId));
}

// ---- 成员 (member scope) ----

export interface MemberRow {
  userid: string;
  name: string;
  /** 认领订单数 over the range. */
  claimed: number;
  /** 平均认领用时 in minutes; null when there is none. */
  minutes: number | null;
}

/** The 成员 table: each member in either answer, most claims first (then the quicker, then by name). */
export function memberRows(claimed: MetricsResponse | null, minutes: MetricsResponse | null): MemberRow[] {
  const rows = new Map<string, MemberRow>();
  const row = (s: MetricSeries) => {
    let r = rows.get(s.key);
    if (!r) rows.set(s.key, (r = { userid: s.key, name: s.label || s.key, claimed: 0, minutes: null }));
    return r;
  };
  for (const s of claimed?.series ?? []) row(s).claimed = s.total ?? 0;
  for (const s of minutes?.series ?? []) row(s).minutes = s.total;
  return [...rows.values()].sort((a, b) => b.claimed - a.claimed || (a.minutes ?? Infinity) - (b.minutes ?? Infinity) || a.name.localeCompare(b.name, 'zh-CN'));
}

// ---- top SKUs (sku scope) ----

export interface SkuRow {
  sku: string;
  units: number;
  /** GMV per currency, largest first. */
  gmv: { currency: string; total: number }[];
}

/** The top SKUs: by units sold, each with its GMV in every currency it sold in; at most `limit`. */
export function skuRows(units: MetricsResponse | null, gmv: MetricsResponse | null, limit = TOP_SKUS): SkuRow[] {
  const rows = new Map<string, SkuRow>();
  const row = (sku: string) => {
    let r = rows.get(sku);
    if (!r) rows.set(sku, (r = { sku, units: 0, gmv: [] }));
    return r;
  };
  for (const s of units?.series ?? []) row(s.key).units = s.total ?? 0;
  for (const s of gmv?.series ?? []) if (s.currency && s.total !== null) row(s.key).gmv.push({ currency: s.currency, total: s.total });
  for (const r of rows.values()) r.gmv.sort((a, b) => b.total - a.total || a.currency.localeCompare(b.currency));
  const topGmv = (r: SkuRow) => r.gmv[0]?.total ?? 0;
  return [...rows.values()].sort((a, b) => b.units - a.units || topGmv(b) - topGmv(a) || a.sku.localeCompare(b.sku)).slice(0, limit);
}

// ---- numbers in the UI language ----

export type NumberLocale = 'zh-CN' | 'en';
const intlLocale = (lang: NumberLocale) => (lang === 'en' ? 'en-US' : 'zh-CN');

/** At and above this, a KPI card's figure is compact (12.3万, 123.5K); tables and tooltips keep every digit. */
export const COMPACT_FROM = 100_000;

const compactish = (value: number, compact: boolean) => compact && Math.abs(value) >= COMPACT_FROM;

/** 1,234 / 12.3万 (compact). */
export function formatCount(value: number, lang: NumberLocale, compact = false): string {
  return new Intl.NumberFormat(
    intlLocale(lang),
    compactish(value, compact) ? { notation: 'compact', maximumFractionDigits: 1 } : { maximumFractionDigits: 1 },
  ).format(value);
}

/**
 * `SGD 1,234.50`: always with the currency's code (the figures come in several; a symbol like $ would not say which),
 * the currency's own decimals; compact from 100,000 (`SGD 12.3万`). A code Intl does not know is written before the
 * number.
 */
export function formatMoney(value: number, currency: string, lang: NumberLocale, compact = false): string {
  const small = !compactish(value, compact);
  try {
    return new Intl.NumberFormat(intlLocale(lang), {
      style: 'currency',
      currency,
      currencyDisplay: 'code',
      ...(small ? {} : { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 }),
    })
      .format(value)
      .replace(/\u00a0/g, ' ');
  } catch {
    return `${currency} ${formatCount(value, lang, compact)}`;
  }
}

/**
 * Money split for a KPI card, which shows the currency small beside the number: `{currency: 'SGD', number: '1,234.50'}`
 * (the currency's own decimals, compact from 100,000: `12.3万`).
 */
export function moneyParts(value: number, currency: string, lang: NumberLocale, compact = false): { currency: string; number: string } {
  try {
    const parts = new Intl.NumberFormat(intlLocale(lang), {
      style: 'currency',
      currency,
      currencyDisplay: 'code',
      ...(compactish(value, compact) ? { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 } : {}),
    }).formatToParts(value);
    const number = parts
      .filter((p) => p.type !== 'currency')
      .map((p) => p.value)
      .join('')
      .replace(/\u00a0/g, ' ')
      .trim()
      .replace(/^([-\u2212])\s+/, '$1');
    return { currency, number };
  } catch {
    return { currency, number: formatCount(value, lang, compact) };
  }
}

/** A ratio as a percentage with at most one decimal: 0.9654 → 96.5%. */
export function formatPercent(ratio: number, lang: NumberLocale): string {
  return new Intl.NumberFormat(intlLocale(lang), { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

/** Minutes as hours and whole minutes from 60 up (`{h: 1, m: 5}`), else minutes with one decimal (`{h: 0, m: 12.3}`). */
export function minutesParts(minutes: number): { h: number; m: number } {
  if (Math.abs(minutes) < 60) return { h: 0, m: Math.round(minutes * 10) / 10 };
  const whole = Math.round(minutes);
  return { h: Math.trunc(whole / 60), m: Math.abs(whole % 60) };
}

// ---- the KPI card's trend line ----

/**
 * An SVG path through `values` scaled into `width` × `height` (a small margin inside), left to right; a null breaks
 * the line (a rate over nothing), a lone point between gaps is a dot-length stroke. '' when there is nothing to draw.
 */
export function sparkPath(values: readonly (number | null)[], width: number, height: number, margin = 2): string {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (!known.length) return '';
  const min = Math.min(...known);
  const max = Math.max(...known);
  const x = (i: number) => (values.length === 1 ? width / 2 : margin + (i * (width - 2 * margin)) / (values.length - 1));
  // A flat line sits in the middle.
  const y = (v: number) => (max === min ? height / 2 : height - margin - ((v - min) * (height - 2 * margin)) / (max - min));
  const round = (n: number) => Math.round(n * 10) / 10;
  const parts: string[] = [];
  let drawing = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      drawing = false;
      return;
    }
    const next = i + 1 < values.length ? values[i + 1] : null;
    const lone = !drawing && (next === null || next === undefined || !Number.isFinite(next));
    parts.push(`${drawing ? 'L' : 'M'}${round(x(i))} ${round(y(v))}${lone ? 'h0.1' : ''}`);
    drawing = true;
  });
  return parts.join(' ');
}
