import { METRIC_DEFS, TARGET_METRICS, type AlertLine, type MetricKey, type MetricTarget, type MetricUnit } from '@shopcrew/shared';

/**
 * The alert-line editor's rules without Vue or messages (test/unit/h5/metrics-alerts.test.ts runs them): which metrics a
 * line may watch and where (a shop, one SKU of it, or 全部店铺), the threshold as typed (a rate in %, a ratio of the
 * target in %) ⇄ the API's number, the checks made before saving (the server checks the rest: its 422 names the field),
 * where a 422 belongs, the target a line would compare with, and the list's order.
 */

/**
 * The metrics an alert line is offered for, in the order the picker lists them: sales, refunds, shipping and claims,
 * after-sales, checklists. Left out: throughput counts that are not a warning sign by themselves (shipped, claimed,
 * resolved, checklists completed). A line set through the API on another metric is still shown and edited as it is.
 */
export const ALERT_METRICS = [
  'gmv',
  'orders',
  'aov',
  'units',
  'net_gmv',
  'refund_rate',
  'refunded_orders',
  'refund_amount',
  'on_time_rate',
  'claim_minutes',
  'cases_opened',
  'first_response_minutes',
  'resolution_minutes',
  'sla_breaches',
  'checklist_overdue',
] as const satisfies readonly MetricKey[];

export const COMPARISONS = ['>', '>=', '<', '<='] as const;
export type Comparison = (typeof COMPARISONS)[number];
export type AlertBasis = 'value' | 'target';

/** The POST / PUT body of /api/alerts (server/src/modules/metrics/alerts.ts `alertBody`). */
export interface AlertLineInput {
  name: string;
  metric: MetricKey;
  shopId: string | null;
  sku: string | null;
  currency: string | null;
  comparison: Comparison;
  threshold: number;
  basis: AlertBasis;
  windowDays: number;
  enabled: boolean;
}

/** The form's state: the threshold as typed, in the unit the form shows (a rate or a ratio of the target in %). */
export interface AlertDraft {
  name: string;
  metric: MetricKey;
  /** null: 全部店铺 (the team's figure). */
  shopId: string | null;
  /** As typed; '' for none. */
  sku: string;
  currency: string | null;
  comparison: Comparison;
  basis: AlertBasis;
  threshold: string;
  windowDays: number;
  enabled: boolean;
}

/** The fields a problem (ours or the server's 422) is shown under. */
export const ALERT_FIELDS = ['name', 'metric', 'shopId', 'sku', 'currency', 'basis', 'comparison', 'threshold', 'windowDays'] as const;
export type AlertField = (typeof ALERT_FIELDS)[number];

export const MAX_WINDOW_DAYS = 30;
export const MAX_TARGET_RATIO = 10;

const unitOf = (metric: MetricKey): MetricUnit => METRIC_DEFS[metric].unit;

/** The metric's figure exists per SKU (GMV, units): the form offers a SKU. */
export const skuAllowed = (metric: MetricKey): boolean => METRIC_DEFS[metric].scopes.includes('sku');
/** Only per SKU (units): a SKU, and so a shop, is required. */
export const skuRequired = (metric: MetricKey): boolean => skuAllowed(metric) && !METRIC_DEFS[metric].scopes.includes('shop');
/** 全部店铺 (the team's figure) is possible: not per SKU. */
export const teamAllowed = (metric: MetricKey): boolean => METRIC_DEFS[metric].scopes.includes('team');
/** A target can be compared with (GMV, orders, units). */
export const targetMetric = (metric: MetricKey): boolean => (TARGET_METRICS as readonly MetricKey[]).includes(metric);
export const isMoney = (metric: MetricKey): boolean => unitOf(metric) === 'money';

/** What the threshold is typed in: a rate or a share of the target in %, money in its currency, minutes, or a count. */
export type ThresholdUnit = 'percent' | 'money' | 'minutes' | 'count' | 'target';
export const thresholdUnit = (d: Pick<AlertDraft, 'metric' | 'basis'>): ThresholdUnit => (d.basis === 'target' ? 'target' : unitOf(d.metric));

const inPercent = (u: ThresholdUnit) => u === 'percent' || u === 'target';
/** Float noise away (0.15 × 100 = 15.000000000000002). */
const tidy = (n: number) => Math.round(n * 1e6) / 1e6;

/** The threshold as typed → the API's number (15 % → 0.15; 80 % of the target → 0.8); null when it is not a number. */
export function thresholdValue(d: Pick<AlertDraft, 'metric' | 'basis' | 'threshold'>): number | null {
  const text = d.threshold
    .trim()
    .replace(/[,，]/g, '')
    .replace(/[%％]$/, '');
  if (!text || !/^[-+]?(\d+\.?\d*|\.\d+)$/.test(text)) return null;
  const n = Number(text);
  if (!Number.isFinite(n)) return null;
  return inPercent(thresholdUnit(d)) ? tidy(n / 100) : n;
}

/** The API's number → as the form shows it (0.15 → '15'). */
export function thresholdText(line: Pick<AlertLine, 'metric' | 'basis' | 'threshold'>): string {
  return String(inPercent(thresholdUnit(line)) ? tidy(line.threshold * 100) : line.threshold);
}

/** A new line: for a shop (the page's, else the first the member may set lines in), 退款率 above a threshold, today only. */
export function blankDraft(shopId: string | null, currency: string | null = null): AlertDraft {
  return { name: '', metric: 'refund_rate', shopId, sku: '', currency, comparison: '>', basis: 'value', threshold: '', windowDays: 1, enabled: true };
}

/** A line as a draft to edit. */
export const draftOfLine = (line: AlertLine): AlertDraft => ({
  name: line.name,
  metric: line.metric,
  shopId: line.shopId,
  sku: line.sku ?? '',
  currency: line.currency,
  comparison: line.comparison,
  basis: line.basis,
  threshold: thresholdText(line),
  windowDays: line.windowDays,
  enabled: line.enabled,
});

/**
 * The draft after a change of metric, shop or SKU, made consistent: a SKU only where the metric has one (and the line
 * a shop), a shop where the metric needs a SKU, the target basis only for a metric with targets, a currency only for
 * money (the shop's own, or the one given for 全部店铺). The threshold keeps what was typed.
 */
export function normalizeDraft(d: AlertDraft, opts: { shops: readonly { shopId: string; currency: string }[]; teamCurrencies: readonly string[] }): AlertDraft {
  const next = { ...d };
  if (!skuAllowed(next.metric)) next.sku = '';
  if (skuRequired(next.metric) && next.shopId === null) next.shopId = opts.shops[0]?.shopId ?? null;
  if (next.shopId === null) next.sku = '';
  if (!targetMetric(next.metric)) next.basis = 'value';
  if (!isMoney(next.metric)) next.currency = null;
  else if (next.shopId !== null) next.currency = opts.shops.find((s) => s.shopId === next.shopId)?.currency ?? next.currency;
  else if (!next.currency || !opts.teamCurrencies.includes(next.currency)) next.currency = opts.teamCurrencies[0] ?? next.currency;
  return next;
}

/**
 * What is wrong with a draft before it is sent (the first problem), or null: a name, a SKU where the metric is only per
 * SKU (at most 64 characters), a shop for a SKU, a currency for money, a number for the threshold, 1–30 days. The
 * server checks the rest (a target ratio of at most 10 = 1000 %, a metric without that scope) and names the field.
 */
export function alertProblem(d: AlertDraft): AlertField | null {
  if (!d.name.trim() || d.name.trim().length > 100) return 'name';
  if (skuRequired(d.metric) && !d.sku.trim()) return 'sku';
  if (d.sku.trim().length > 64) return 'sku';
  if (d.sku.trim() && d.shopId === null) return 'shopId';
  if (isMoney(d.metric) && !/^[A-Z]{3}$/.test(d.currency ?? '')) return 'currency';
  if (thresholdValue(d) === null) return 'threshold';
  if (!Number.isInteger(d.windowDays) || d.windowDays < 1 || d.windowDays > MAX_WINDOW_DAYS) return 'windowDays';
  return null;
}

/** The POST / PUT body of a draft without problems. */
export function alertInput(d: AlertDraft): AlertLineInput {
  const sku = d.sku.trim();
  return {
    name: d.name.trim(),
    metric: d.metric,
    shopId: d.shopId,
    sku: sku && d.shopId !== null && skuAllowed(d.metric) ? sku : null,
    currency: isMoney(d.metric) ? d.currency : null,
    comparison: d.comparison,
    threshold: thresholdValue(d) ?? 0,
    basis: targetMetric(d.metric) ? d.basis : 'value',
    windowDays: d.windowDays,
    enabled: d.enabled,
  };
}

/** A saved line's body as it is, with `enabled` changed (the list's switch: PUT takes the whole line). */
export const lineInput = (line: AlertLine, enabled = line.enabled): AlertLineInput => ({
  name: line.name,
  metric: line.metric,
  shopId: line.shopId,
  sku: line.sku,
  currency: line.currency,
  comparison: line.comparison,
  threshold: line.threshold,
  basis: line.basis,
  windowDays: line.windowDays,
  enabled,
});

interface ErrorLike {
  status: number;
  details?: unknown;
}

const FIELDS = new Set<string>(ALERT_FIELDS);

/**
 * Which field a 422 from saving is about, or null: the server's own checks name it in `details.field`; a schema error
 * (zod issues in `details`) by its first issue's path (`threshold: Required`, `windowDays: … ≥ 1`).
 */
export function fieldOfAlertError(error: ErrorLike): AlertField | null {
  if (error.status !== 422) return null;
  const details = error.details;
  let field: unknown;
  if (Array.isArray(details)) field = (details[0] as { path?: unknown[] } | undefined)?.path?.[0];
  else if (details && typeof details === 'object') field = (details as { field?: unknown }).field;
  return typeof field === 'string' && FIELDS.has(field) ? (field as AlertField) : null;
}

/**
 * Whether a 422's message is the server's own sentence for the member (bilingual `中文 (English)`), rather than a schema
 * message in English only (`Expected number, received null`): the form shows its own words for those.
 */
export const memberFacing = (message: string): boolean => /[\u3400-\u9fff]/.test(message);

// ---- targets ----

/**
 * The daily target a line would compare with, as the server finds it: the shop's own (sku null) or its SKU's, or for
 * 全部店铺 the shops' own summed (in the line's currency for money); null when none is set.
 */
export function targetFor(
  targets: readonly Pick<MetricTarget, 'shopId' | 'sku' | 'metric' | 'currency' | 'daily'>[],
  d: Pick<AlertDraft, 'metric' | 'shopId' | 'sku' | 'currency'>,
): number | null {
  if (!targetMetric(d.metric)) return null;
  const sku = d.sku.trim() || null;
  const matching = targets.filter(
    (t) =>
      t.metric === d.metric &&
      (d.shopId === null ? t.sku === null : t.shopId === d.shopId && t.sku === sku) &&
      (!isMoney(d.metric) || !d.currency || t.currency === d.currency),
  );
  if (!matching.length) return null;
  return tidy(matching.reduce((sum, t) => sum + t.daily, 0));
}

// ---- the list ----

/** Every line: fired ones first, then the enabled, then by name. */
export const sortLines = (lines: readonly AlertLine[]): AlertLine[] =>
  [...lines].sort(
    (a, b) =>
      Number(b.enabled && b.state === 'breached') - Number(a.enabled && a.state === 'breached') ||
      Number(b.enabled) - Number(a.enabled) ||
      a.name.localeCompare(b.name, 'zh-CN') ||
      a.id - b.id,
  );

/** What a line's row says of its state: fired (since a day), ok, or off. */
export const lineState = (line: Pick<AlertLine, 'enabled' | 'state'>): 'breached' | 'ok' | 'off' =>
  !line.enabled ? 'off' : line.state === 'breached' ? 'breached' : 'ok';

/** A comparison's message key (words.cmp.gt …: message paths keep to letters). */
export const COMPARISON_KEYS: Readonly<Record<Comparison, 'gt' | 'gte' | 'lt' | 'lte'>> = { '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' };
