import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref, shallowReactive } from 'vue';
import type { MetricsResponse } from '@shopcrew/shared';
import { fetchMetrics } from '@/api/metrics';
import { asApiError, type ApiError } from '@/api/http';
import {
  DEFAULT_FILTERS,
  KPI_METRICS,
  metricsQuery,
  sectionKeys,
  shopsIn,
  TOP_MEMBERS,
  TOP_SHOPS,
  TOP_SKUS,
  type KpiMetric,
  type MetricFilters,
  type ShopOption,
} from '@/composables/metrics';
import type { LoadState } from '@/types';

type Part = keyof ReturnType<typeof sectionKeys>;

/** What the page reads of a part: the answer (kept as it came, not made deeply reactive), its load state and error. */
export interface PartView<T> {
  data: T | null;
  state: LoadState;
  error: ApiError | null;
}

/**
 * One part of the page loaded for some filters: its answer, `state` and `error`. A part loads again only when its key
 * (composables/metrics.ts `sectionKeys`) changes or it is forced; an answer for earlier filters is dropped, and other
 * filters clear what was shown (no figures under the wrong range).
 */
function part<T>(part: Part, fetch: (filters: MetricFilters, today: string) => Promise<T>) {
  const view = shallowReactive<PartView<T>>({ data: null, state: 'idle', error: null });
  let key = '';
  let generation = 0;

  async function load(filters: MetricFilters, today: string, force = false): Promise<void> {
    const next = sectionKeys(filters, today)[part];
    if (!force && next === key && view.state !== 'error' && view.state !== 'idle') return;
    const mine = ++generation;
    if (next !== key) view.data = null;
    key = next;
    view.state = 'loading';
    view.error = null;
    try {
      const data = await fetch(filters, today);
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

/**
 * 数据: the figures for the page's filters (a range, a shop or 全部店铺, day or week), each part on its own so one failing
 * does not blank the rest: the KPI cards (team scope, one request per card, by day), the per-shop chart of the chosen
 * metric, the 成员 claims (member scope) and the top SKUs (sku scope). Also the shops the figures named, for the shop
 * picker (GET /api/shops lists only the shops a member may read orders of).
 */
export const useMetricsStore = defineStore('metrics', () => {
  const filters = ref<MetricFilters>({ ...DEFAULT_FILTERS });
  const today = ref('');

  const kpis = part('kpis', async (f, day) => {
    const answers = await Promise.all(KPI_METRICS.map((metric) => fetchMetrics(metricsQuery(f, day, metric, 'team', { granularity: 'day' }))));
    return Object.fromEntries(KPI_METRICS.map((metric, i) => [metric, answers[i]!])) as Record<KpiMetric, MetricsResponse>;
  });

  const seenShops = ref<ShopOption[]>([]);
  const chart = part('chart', async (f, day) => {
    const answer = await fetchMetrics(metricsQuery(f, day, f.metric, 'shop', { limit: TOP_SHOPS }));
    const known = new Set(seenShops.value.map((s) => s.shopId));
    const added = shopsIn(answer).filter((s) => !known.has(s.shopId));
    if (added.length) seenShops.value = [...seenShops.value, ...added];
    return answer;
  });

  // Only the totals are read: weeks keep the answers small. Average minutes come slowest first, so ask for enough of
  // them to cover the members with most claims; GMV by SKU likewise for the SKUs that sold the most units.
  const members = part('members', async (f, day) => {
    const [claimed, minutes] = await Promise.all([
      fetchMetrics(metricsQuery(f, day, 'claimed_orders', 'member', { granularity: 'week', limit: TOP_MEMBERS })),
      fetchMetrics(metricsQuery(f, day, 'claim_minutes', 'member', { granularity: 'week', limit: 100 })),
    ]);
    return { claimed, minutes };
  });
  const skus = part('skus', async (f, day) => {
    const [units, gmv] = await Promise.all([
      fetchMetrics(metricsQuery(f, day, 'units', 'sku', { granularity: 'week', limit: TOP_SKUS })),
      fetchMetrics(metricsQuery(f, day, 'gmv', 'sku', { granularity: 'week', limit: 100 })),
    ]);
    return { units, gmv };
  });

  const parts = { kpis, chart, members, skus };

  /** Every part for these filters and today (the device's day); parts whose inputs did not change stay as they are. */
  function load(next: MetricFilters, day: string): Promise<void> {
    filters.value = next;
    today.value = day;
    return Promise.all(Object.values(parts).map((p) => p.load(next, day))).then(() => undefined);
  }

  /** One part again (its 重试). */
  const retry = (name: Part): Promise<void> => parts[name].load(filters.value, today.value, true);

  /** Every part whose last load failed, again (the page's one error when nothing could load). */
  const retryFailed = (): Promise<void> =>
    Promise.all(
      Object.values(parts)
        .filter((p) => p.view.state === 'error')
        .map((p) => p.load(filters.value, today.value, true)),
    ).then(() => undefined);

  /** 下拉刷新: every part again. */
  const refresh = (): Promise<void> => Promise.all(Object.values(parts).map((p) => p.load(filters.value, today.value, true))).then(() => undefined);

  return { filters, today, kpis: kpis.view, chart: chart.view, members: members.view, skus: skus.view, seenShops, load, retry, retryFailed, refresh };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useMetricsStore, import.meta.hot));
