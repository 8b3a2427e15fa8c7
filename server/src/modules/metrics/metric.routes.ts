import { z } from 'zod';
import { METRIC_DEFS, METRIC_KEYS, METRIC_SCOPES } from '@shopcrew/shared';
import { actorOf } from '../../http/context';
import type { RouteDef } from '../../http/routes';
import { parseQuery } from '../../http/validate';
import type { MetricQuery } from './metric-query';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD (a day YYYY-MM-DD)');
const metricsQuery = z.object({
  metric: z.enum(METRIC_KEYS),
  scope: z.enum(METRIC_SCOPES).default('shop'),
  shop: z
    .string()
    .regex(/^\d{1,32}$/)
    .optional(),
  from: day,
  to: day,
  granularity: z.enum(['day', 'week']).default('day'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** 数据: the metric definitions and the figures (metrics:read; only the shops the member's roles cover). */
export function metricRoutes(query: MetricQuery): RouteDef[] {
  return [
    { method: 'get', path: '/api/metrics/definitions', access: 'metrics:read', handler: (ctx) => void (ctx.body = { items: Object.values(METRIC_DEFS) }) },
    {
      method: 'get',
      path: '/api/metrics',
      access: 'metrics:read',
      handler: async (ctx) => void (ctx.body = await query.query(actorOf(ctx), parseQuery(metricsQuery, ctx))),
    },
  ];
}
