import type { MetricDef, MetricsResponse } from '@shopcrew/shared';
import type { MetricsQuery } from '@/composables/metrics';
import { get } from './http';

/**
 * 数据 (server/src/modules/metrics, the contract in shared/src/api/metrics.ts): the figures, from the daily rollups, within
 * the shops the member's roles cover (metrics:read; 403 without). Money comes one series per currency. 422 when a metric
 * has no such scope or the range is wrong (the server's bilingual sentence).
 */

/** GET /api/metrics/definitions: every metric with its zh-CN label, unit, definition and scopes (the same as shared METRIC_DEFS). */
export function fetchMetricDefinitions(signal?: AbortSignal): Promise<{ items: MetricDef[] }> {
  return get<{ items: MetricDef[] }>('/api/metrics/definitions', { signal });
}

/** GET /api/metrics?metric=&scope=shop|member|sku|team&shop=&from=&to=&granularity=day|week&limit= (composables/metrics.ts `metricsQuery`). */
export function fetchMetrics(query: MetricsQuery, signal?: AbortSignal): Promise<MetricsResponse> {
  return get<MetricsResponse>('/api/metrics', { query: { ...query }, signal });
}
