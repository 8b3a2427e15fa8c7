import { z } from 'zod';
import { METRIC_DEFS, METRIC_KEYS, METRIC_SCOPES, shopsWith } from '@shopcrew/shared';
import { actorOf } from '../../http/context';
import { parseQuery } from '../../http/validate';
import type { RouteDef } from '../../http/routes';
import { ValidationError } from '../../errors';
import { parse, pathParam } from '../../http/validate';
import { alertBody, type AlertService } from './alerts';
import type { MetricQuery } from './metric-query';
import { targetBody, type TargetService } from './targets';
import type { EarlyWarnings } from './warnings';

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

const warningsQuery = z.object({ from: day, to: day });
const targetsQuery = z.object({
  shop: z
    .string()
    .regex(/^\d{1,32}$/)
    .optional(),
  from: day,
  to: day,
});
const idParam = (raw: string): number => {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new ValidationError('id 无效 (invalid id)', { field: 'id' });
  return n;
};

/** 数据: definitions, figures, targets and alert lines (automation:manage to change), early warnings (metrics:read). */
export function metricRoutes(query: MetricQuery, alerts: AlertService, warnings: EarlyWarnings, targets: TargetService): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/metrics/targets',
      access: 'metrics:read',
      handler: async (ctx) => void (ctx.body = await targets.list(actorOf(ctx), parseQuery(targetsQuery, ctx))),
    },
    {
      method: 'put',
      path: '/api/metrics/targets',
      access: 'automation:manage',
      handler: async (ctx) => void (ctx.body = await targets.set(actorOf(ctx), await parse(targetBody, ctx), ctx.state.requestId)),
    },
    {
      method: 'delete',
      path: '/api/metrics/targets/:id',
      access: 'automation:manage',
      handler: async (ctx) => {
        await targets.remove(actorOf(ctx), idParam(pathParam(ctx, 'id')), ctx.state.requestId);
        ctx.status = 204;
      },
    },
    { method: 'get', path: '/api/alerts', access: 'metrics:read', handler: async (ctx) => void (ctx.body = { items: await alerts.list() }) },
    {
      method: 'post',
      path: '/api/alerts',
      access: 'automation:manage',
      handler: async (ctx) => {
        ctx.body = await alerts.create(actorOf(ctx).userid, await parse(alertBody, ctx), ctx.state.requestId);
        ctx.status = 201;
      },
    },
    {
      method: 'put',
      path: '/api/alerts/:id',
      access: 'automation:manage',
      handler: async (ctx) =>
        void (ctx.body = await alerts.update(actorOf(ctx).userid, idParam(pathParam(ctx, 'id')), await parse(alertBody, ctx), ctx.state.requestId)),
    },
    {
      method: 'delete',
      path: '/api/alerts/:id',
      access: 'automation:manage',
      handler: async (ctx) => {
        await alerts.remove(actorOf(ctx).userid, idParam(pathParam(ctx, 'id')), ctx.state.requestId);
        ctx.status = 204;
      },
    },
    {
      method: 'get',
      path: '/api/alerts/warnings',
      access: 'metrics:read',
      handler: async (ctx) => {
        const { from, to } = parseQuery(warningsQuery, ctx);
        const scope = shopsWith(actorOf(ctx), 'metrics:read');
        ctx.body = { items: (await warnings.list(from, to)).filter((w) => scope === 'all' || scope.includes(w.shopId)) };
      },
    },
    { method: 'get', path: '/api/metrics/definitions', access: 'metrics:read', handler: (ctx) => void (ctx.body = { items: Object.values(METRIC_DEFS) }) },
    {
      method: 'get',
      path: '/api/metrics',
      access: 'metrics:read',
      handler: async (ctx) => void (ctx.body = await query.query(actorOf(ctx), parseQuery(metricsQuery, ctx))),
    },
  ];
}
