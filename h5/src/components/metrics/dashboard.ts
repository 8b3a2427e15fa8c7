import {
  METRIC_DEFS,
  TARGET_METRICS,
  type AlertLine,
  type EarlyWarning,
  type MetricKey,
  type MetricSeries,
  type MetricsResponse,
  type MetricTarget,
  type TargetMetric,
} from '@shopcrew/shared';
import type { Granularity } from '../../composables/metrics';
import { addDays, daysBetween, maxDay, minDay } from '../../composables/projectDates';

/**
 * The 数据 page's targets, alerts and after-sales figures without Vue or messages (test/unit/metrics-dashboard.test.ts
 * runs them): the target line on a chart's axis (the daily target × the days of each bucket within the range), a total's
 * progress against a daily target, the target form's choices and checks, the alerts worth showing for a shop, and the
 * after-sales table per member.
 */

/** The days of a bucket (a day, or the week from its Monday) that fall within [from, to]. */
export function bucketDays(bucket: string, granularity: Granularity, from: string, to: string): number {
  if (granularity === 'day') return bucket >= from && bucket <= to ? 1 : 0;
  const first = maxDay(bucket, from);
  const last = minDay(addDays(bucket, 6), to);
  return Math.max(0, daysBetween(first, last) + 1);
}

/** A chart's target line: on each bucket of the axis, the daily target × its days within the range. */
export function targetValues(daily: number, axis: readonly string[], granularity: Granularity, from: string, to: string): number[] {
  return axis.map((bucket) => Math.round(daily * bucketDays(bucket, granularity, from, to) * 100) / 100);
}

/** A total against a daily target over `days` days: done ÷ (daily × days); null without a target to measure by. */
export function targetProgress(total: number | null, daily: number | undefined, days: number): number | null {
  if (daily === undefined || !(daily > 0) || days <= 0) return null;
  return (total ?? 0) / (daily * days);
}

/** A progress bar's width: 0–100 %, a target passed fills it. */
export const barWidth = (ratio: number | null): number => (ratio === null ? 0 : Math.max(0, Math.min(100, Math.round(ratio * 100))));

/** The series' targets by key (a shop, a SKU), where the answer gives one. */
export function targetsByKey(series: readonly Pick<MetricSeries, 'key' | 'target' | 'currency'>[], currency: string | null = null): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of series) if (s.target !== undefined && (currency === null || s.currency === currency)) out.set(s.key, s.target);
  return out;
}

// ---- the target form ----

export type TargetScope = 'shop' | 'sku';

/** The metrics a target may be set on, for a shop (GMV, orders) or for one of its SKUs (units, GMV). */
export const targetMetricsFor = (scope: TargetScope): TargetMetric[] => TARGET_METRICS.filter((m) => METRIC_DEFS[m].scopes.includes(scope));

export interface TargetDraft {
  shopId: string;
  scope: TargetScope;
  sku: string;
  metric: TargetMetric;
  /** As typed. */
  daily: string;
}

export type DraftProblem = 'shop' | 'sku' | 'metric' | 'daily';

/** What is wrong with a draft (the first problem), or null: a shop, a SKU when per SKU, a metric that fits, a number ≥ 0. */
export function draftProblem(d: TargetDraft): DraftProblem | null {
  if (!/^\d{1,32}$/.test(d.shopId)) return 'shop';
  if (d.scope === 'sku' && !d.sku.trim()) return 'sku';
  if (d.sku.trim().length > 64) return 'sku';
  if (!targetMetricsFor(d.scope).includes(d.metric)) return 'metric';
  const n = Number(d.daily.trim());
  if (d.daily.trim() === '' || !Number.isFinite(n) || n < 0) return 'daily';
  return null;
}

/** The PUT body of a valid draft. */
export const draftInput = (d: TargetDraft) => ({
  shopId: d.shopId,
  sku: d.scope === 'sku' ? d.sku.trim() : null,
  metric: d.metric,
  daily: Number(d.daily.trim()),
});

/** A target as a draft to edit. */
export const draftOf = (t: MetricTarget): TargetDraft => ({
  shopId: t.shopId,
  scope: t.sku ? 'sku' : 'shop',
  sku: t.sku ?? '',
  metric: t.metric,
  daily: String(t.daily),
});

/** Targets in the order the list shows them: a shop's own first, then its SKUs by name. */
export const sortTargets = (items: readonly MetricTarget[]): MetricTarget[] =>
  [...items].sort(
    (a, b) =>
      a.shopName.localeCompare(b.shopName, 'zh-CN') ||
      Number(a.sku !== null) - Number(b.sku !== null) ||
      (a.sku ?? '').localeCompare(b.sku ?? '') ||
      TARGET_METRICS.indexOf(a.metric) - TARGET_METRICS.indexOf(b.metric),
  );

// ---- alerts ----

/** The alert lines to show: breached ones of the shop (or of every shop, and the team's), enabled only. */
export const breachedLines = (lines: readonly AlertLine[], shop?: string): AlertLine[] =>
  lines.filter((l) => l.enabled && l.state === 'breached' && (!shop || l.shopId === shop || l.shopId === null));

/** The early warnings of the shop (or of every shop), newest first. */
export const warningsOf = (warnings: readonly EarlyWarning[], shop?: string): EarlyWarning[] =>
  warnings.filter((w) => !shop || w.shopId === shop).sort((a, b) => b.day.localeCompare(a.day) || a.shopId.localeCompare(b.shopId));

// ---- after-sales ----

/** The after-sales KPI cards (team scope, by day), in order. */
export const CASE_KPIS = ['first_response_minutes', 'resolution_minutes', 'resolved_cases', 'sla_breaches'] as const satisfies readonly MetricKey[];
export type CaseKpi = (typeof CASE_KPIS)[number];

/** The after-sales table's columns per member. */
export const CASE_MEMBER_METRICS = ['resolved_cases', 'first_response_minutes', 'resolution_minutes', 'sla_breaches'] as const satisfies readonly MetricKey[];
export type CaseMemberMetric = (typeof CASE_MEMBER_METRICS)[number];

export interface CaseMemberRow {
  userid: string;
  name: string;
  resolved: number;
  response: number | null;
  resolution: number | null;
  breaches: number;
}

/** The after-sales table: each member in any answer, most resolved first (then fewest breaches, then by name). */
export function caseMemberRows(members: Record<CaseMemberMetric, MetricsResponse> | null): CaseMemberRow[] {
  if (!members) return [];
  const rows = new Map<string, CaseMemberRow>();
  const row = (key: string, label: string) => {
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { userid: key, name: label || key, resolved: 0, response: null, resolution: null, breaches: 0 }));
    return r;
  };
  for (const s of members.resolved_cases.series) row(s.key, s.label).resolved = s.total ?? 0;
  for (const s of members.first_response_minutes.series) row(s.key, s.label).response = s.total;
  for (const s of members.resolution_minutes.series) row(s.key, s.label).resolution = s.total;
  for (const s of members.sla_breaches.series) row(s.key, s.label).breaches = s.total ?? 0;
  return [...rows.values()]
    .filter((r) => r.userid !== '—' || r.resolved || r.breaches)
    .sort((a, b) => b.resolved - a.resolved || a.breaches - b.breaches || a.name.localeCompare(b.name, 'zh-CN'));
}

// ---- the chart's target line ----

/** The colour of a target line (dashed): apart from the lines' own colours. */
export const TARGET_COLOR = '#ee0a24';

/** A trend option with a dashed target line added (values on the same axis; no dots, no emphasis). */
export function withTargetLine<T extends { series: object[] }>(option: T, name: string, values: number[]): T {
  const line = {
    type: 'line',
    name,
    data: values,
    showSymbol: false,
    silent: true,
    lineStyle: { type: 'dashed', width: 1.5, color: TARGET_COLOR },
    itemStyle: { color: TARGET_COLOR },
    emphasis: { disabled: true },
  };
  return { ...option, series: [...option.series, line] };
}
