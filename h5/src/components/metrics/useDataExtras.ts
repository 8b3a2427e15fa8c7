import { shallowReactive } from 'vue';
import type { AlertLine, EarlyWarning, MetricsResponse, TargetsResponse } from '@shopcrew/shared';
import { fetchAlertLines, fetchMetrics, fetchTargets, fetchWarnings } from '@/api/metrics';
import { asApiError, type ApiError } from '@/api/http';
import { metricsQuery, rangeOf, type MetricFilters } from '@/composables/metrics';
import type { LoadState } from '@/types';
import { CASE_KPIS, CASE_MEMBER_METRICS, type CaseKpi, type CaseMemberMetric } from './dashboard';

export interface ExtraPart<T> {
  data: T | null;
  state: LoadState;
  error: ApiError | null;
}

function part<T>(keyOf: (f: MetricFilters, today: string) => string, fetch: (f: MetricFilters, today: string) => Promise<T>) {
  const view = shallowReactive<ExtraPart<T>>({ data: null, state: 'idle', error: null });
  let key = '';
  let generation = 0;
  async function load(f: MetricFilters, today: string, force = false): Promise<void> {
    const next = keyOf(f, today);
    if (!force && next === key && view.state !== 'error' && view.state !== 'idle') return;
    const mine = ++generation;
    if (next !== key) view.data = null;
    key = next;
    view.state = 'loading';
    view.error = null;
    try {
      const data = await fetch(f, today);
      if (mine !== generation) return;
      view.data = data;
      view.state = 'done';
    } catch (e) {
      if (mine !== generation) return;
      view.error = asApiError(e);
      view.state = 'error';
    }
  }
  return { view, load };
}

const rangeKey = (f: MetricFilters, today: string) => {
  const { from, to } = rangeOf(f, today);
  return JSON.stringify([from, to, f.shop ?? '']);
};

/**
 * The 数据 page's parts beyond the figures' store: the targets with their progress (GET /api/metrics/targets), the alert
 * lines and early warnings (GET /api/alerts, /api/alerts/warnings), and the after-sales figures (first response,
 * resolution, breaches: team KPIs and per member). Each loads, fails and retries on its own, again only when the range
 * or the shop changes (or when forced: pull to refresh, a target saved).
 */
export function useDataExtras() {
  const targets = part<TargetsResponse>(rangeKey, (f, today) => {
    const { from, to } = rangeOf(f, today);
    return fetchTargets({ from, to, ...(f.shop ? { shop: f.shop } : {}) });
  });
  const alerts = part<{ lines: AlertLine[]; warnings: EarlyWarning[] }>(rangeKey, async (f, today) => {
    const { from, to } = rangeOf(f, today);
    const [lines, warnings] = await Promise.all([fetchAlertLines(), fetchWarnings({ from, to })]);
    return { lines: lines.items, warnings: warnings.items };
  });
  const cases = part<{ kpis: Record<CaseKpi, MetricsResponse>; members: Record<CaseMemberMetric, MetricsResponse> }>(rangeKey, async (f, today) => {
    const [kpis, members] = await Promise.all([
      Promise.all(CASE_KPIS.map((m) => fetchMetrics(metricsQuery(f, today, m, 'team', { granularity: 'day' })))),
      Promise.all(CASE_MEMBER_METRICS.map((m) => fetchMetrics(metricsQuery(f, today, m, 'member', { granularity: 'week', limit: 100 })))),
    ]);
    return {
      kpis: Object.fromEntries(CASE_KPIS.map((m, i) => [m, kpis[i]!])) as Record<CaseKpi, MetricsResponse>,
      members: Object.fromEntries(CASE_MEMBER_METRICS.map((m, i) => [m, members[i]!])) as Record<CaseMemberMetric, MetricsResponse>,
    };
  });
  const parts = { targets, alerts, cases };
  type Name = keyof typeof parts;

  let last: { f: MetricFilters; today: string } | null = null;
  const load = (f: MetricFilters, today: string) => {
    last = { f, today };
    return Promise.all(Object.values(parts).map((p) => p.load(f, today))).then(() => undefined);
  };
  const reload = (name?: Name) =>
    last ? Promise.all((name ? [parts[name]] : Object.values(parts)).map((p) => p.load(last!.f, last!.today, true))).then(() => undefined) : Promise.resolve();

  return { targets: targets.view, alerts: alerts.view, cases: cases.view, load, reload };
}
