import { z } from 'zod';
import { can, METRIC_DEFS, METRIC_KEYS, METRIC_SCOPES, shopsWith, type Actor } from '@shopcrew/shared';
import { actorOf } from '../../http/context';
import { parseQuery } from '../../http/validate';
import type { RouteDef } from '../../http/routes';
import { ForbiddenError, ValidationError } from '../../errors';
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

/** A line of one shop needs automation:manage there; a line over every shop needs it in every shop. */
function mayManageLine(actor: Actor, shopId: string | null): void {
  const allowed = shopId ? can(actor, 'automation:manage', { shopId }) : shopsWith(actor, 'automation:manage') === 'all';
  if (!allowed)
    throw new ForbiddenError(
      shopId
        ? '无权管理该店铺的预警线 (automation:manage is needed in this shop)'
        : '只有管理全部店铺的成员可以设置全店预警线 (a line over every shop needs automation:manage in every shop)',
    );
}

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
    {
      method: 'get',
      path: '/api/alerts',
      access: 'metrics:read',
      handler: async (ctx) => void (ctx.body = { items: await alerts.list(shopsWith(actorOf(ctx), 'metrics:read')) }),
    },
    {
      method: 'post',
      path: '/api/alerts',
      access: 'automation:manage',
      handler: async (ctx) => {
        const input = await parse(alertBody, ctx);
        mayManageLine(actorOf(ctx), input.shopId ?? null);
        ctx.body = await alerts.create(actorOf(ctx).userid, input, ctx.state.requestId);
        ctx.status = 201;
      },
    },
    {
      method: 'put',
      path: '/api/alerts/:id',
      access: 'automation:manage',
      handler: async (ctx) => {
        const id = idParam(pathParam(ctx, 'id'));
        const input = await parse(alertBody, ctx);
        mayManageLine(actorOf(ctx), await alerts.shopOf(id));
        mayManageLine(actorOf(ctx), input.shopId ?? null);
        ctx.body = await alerts.update(actorOf(ctx).userid, id, input, ctx.state.requestId);
      },
    },
    {
      method: 'delete',
      path: '/api/alerts/:id',
      access: 'automation:manage',
      handler: async (ctx) => {
        const id = idParam(pathParam(ctx, 'id'));
        mayManageLine(actorOf(ctx), await alerts.shopOf(id));
        await alerts.remove(actorOf(ctx).userid, id, ctx.state.requestId);
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
