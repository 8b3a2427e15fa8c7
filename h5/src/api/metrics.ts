import type { AlertLine, EarlyWarning, MetricDef, MetricsResponse, MetricTarget, TargetInput, TargetsResponse } from '@shopcrew/shared';
import type { AlertLineInput } from '@/components/metrics/alertLine';
import type { MetricsQuery } from '@/composables/metrics';
import { get, request } from './http';

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

/** GET /api/metrics/targets?shop=&from=&to=: the daily targets (per shop, per SKU) with their progress over the range. */
export function fetchTargets(query: { from: string; to: string; shop?: string }, signal?: AbortSignal): Promise<TargetsResponse> {
  return get<TargetsResponse>('/api/metrics/targets', { query: { ...query }, signal });
}

/** PUT /api/metrics/targets (automation:manage in the shop): set a shop's or a SKU's daily target; 422 with the server's reason. */
export function saveTarget(input: TargetInput): Promise<MetricTarget> {
  return request<MetricTarget>('/api/metrics/targets', { method: 'PUT', body: input });
}

/** DELETE /api/metrics/targets/:id (automation:manage in the shop). */
export function deleteTarget(id: number): Promise<void> {
  return request<void>(`/api/metrics/targets/${id}`, { method: 'DELETE' });
}

/** GET /api/alerts: every alert line with its state (breached since a day, or ok) and its line in words. */
export function fetchAlertLines(signal?: AbortSignal): Promise<{ items: AlertLine[] }> {
  return get<{ items: AlertLine[] }>('/api/alerts', { signal });
}

/** GET /api/alerts/warnings?from=&to=: the early warnings given on those days, with their reasons. */
export function fetchWarnings(query: { from: string; to: string }, signal?: AbortSignal): Promise<{ items: EarlyWarning[] }> {
  return get<{ items: EarlyWarning[] }>('/api/alerts/warnings', { query: { ...query }, signal });
}

/** POST /api/alerts (automation:manage): a new alert line; 422 naming the field (`details.field`, or the schema's issues). */
export function createAlertLine(input: AlertLineInput): Promise<AlertLine> {
  return request<AlertLine>('/api/alerts', { method: 'POST', body: input });
}

/** PUT /api/alerts/:id (automation:manage): the whole line again (a changed line starts over: state ok until the next check). */
export function updateAlertLine(id: number, input: AlertLineInput): Promise<AlertLine> {
  return request<AlertLine>(`/api/alerts/${id}`, { method: 'PUT', body: input });
}

/** DELETE /api/alerts/:id (automation:manage). */
export function deleteAlertLine(id: number): Promise<void> {
  return request<void>(`/api/alerts/${id}`, { method: 'DELETE' });
}
