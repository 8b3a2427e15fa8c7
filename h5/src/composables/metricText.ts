import { METRIC_DEFS, type MetricKey, type MetricUnit } from '@shopcrew/shared';
import { i18n, t } from '@/locales';
import { formatCount, formatMoney, formatPercent, minutesParts, type NumberLocale } from './metrics';
import { shortDay } from './projectDates';

/** The 数据 page's words and numbers in the UI language (the rules are in ./metrics.ts). */

const lang = (): NumberLocale => (i18n.global.locale.value === 'en' ? 'en' : 'zh-CN');

/** GMV / 订单数 / 客单价 …: the server's name in Chinese (METRIC_DEFS), the English one from the messages. */
export const metricLabel = (key: MetricKey): string => (lang() === 'en' ? t(`metrics.defs.${key}.label`) : METRIC_DEFS[key].label);

/** How a metric is counted (the card's ?). */
export const metricDefinition = (key: MetricKey): string => (lang() === 'en' ? t(`metrics.defs.${key}.definition`) : METRIC_DEFS[key].definition);

/** 12 分钟 / 12.5 分钟 / 1 小时 5 分. */
export function formatMinutes(minutes: number): string {
  const { h, m } = minutesParts(minutes);
  return h ? t('metrics.units.hoursMinutes', { h, m }) : t('metrics.units.minutes', { n: m });
}

/**
 * A figure as its unit says: money with its currency (SGD 1,234.50), a count, a rate as a percentage, minutes; '—'
 * where there is none (a rate over nothing). `compact` shortens large numbers (the KPI cards: 12.3万).
 */
export function formatMetric(unit: MetricUnit, value: number | null | undefined, currency: string | null = null, compact = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'money':
      return currency ? formatMoney(value, currency, lang(), compact) : formatCount(value, lang(), compact);
    case 'percent':
      return formatPercent(value, lang());
    case 'minutes':
      return formatMinutes(value);
    default:
      return formatCount(value, lang(), compact);
  }
}

/** A y-axis tick: short (1.2万, 95%, 30 分钟), money without its currency (the chart names it). */
export function axisTick(unit: MetricUnit, value: number): string {
  if (unit === 'percent') return formatPercent(value, lang());
  if (unit === 'minutes') return t('metrics.units.minutes', { n: formatCount(value, lang(), true) });
  return formatCount(value, lang(), Math.abs(value) >= 10_000);
}

/** An axis label of a day or week: 03-14 (this year), 2024-03-14 (before). */
export const dayLabel = (day: string, today: string): string => shortDay(day, today);

/** 03-08 至 03-14 · 共 7 天. */
export function rangeLabel(from: string, to: string, today: string, days: number): string {
  return `${t('metrics.range.span', { from: shortDay(from, today), to: shortDay(to, today) })} · ${t('metrics.range.days', { n: days }, days)}`;
}

/** 128 件. */
export const unitsLabel = (n: number): string => t('metrics.skus.units', { n: formatCount(n, lang()) }, n);
