import { z } from 'zod';
import { actorOf } from '../../http/context';
import type { RouteDef } from '../../http/routes';
import { parse, parseQuery, pathParam } from '../../http/validate';
import { ValidationError } from '../../errors';
import type { DryRun } from './dry-run';
import { ruleBody, type AutomationRules } from './rule.service';

const runsQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

const ruleId = (raw: string): number => {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new ValidationError('id 无效 (invalid id)', { field: 'id' });
  return n;
};

/** /api/automations: rules, their switch, dry runs and run log; all need automation:manage (owner, ops_manager). */
export function automationRoutes(rules: AutomationRules, dryRun: DryRun): RouteDef[] {
  const id = (ctx: Parameters<RouteDef['handler']>[0]) => ruleId(pathParam(ctx, 'id'));
  return [
    { method: 'get', path: '/api/automations/catalogue', access: 'automation:manage', handler: (ctx) => void (ctx.body = rules.catalogueView()) },
    { method: 'get', path: '/api/automations', access: 'automation:manage', handler: async (ctx) => void (ctx.body = { items: await rules.list() }) },
    {
      method: 'post',
      path: '/api/automations',
      access: 'automation:manage',
      handler: async (ctx) => {
        ctx.body = await rules.create(actorOf(ctx).userid, await parse(ruleBody, ctx), ctx.state.requestId);
        ctx.status = 201;
      },
    },
    {
      // A draft's dry run, before it is saved.
      method: 'post',
      path: '/api/automations/dry-run',
      access: 'automation:manage',
      handler: async (ctx) => void (ctx.body = await dryRun.run(await rules.draft(actorOf(ctx).userid, await parse(ruleBody, ctx)))),
    },
    { method: 'get', path: '/api/automations/:id', access: 'automation:manage', handler: async (ctx) => void (ctx.body = await rules.get(id(ctx))) },
    {
      method: 'put',
      path: '/api/automations/:id',
      access: 'automation:manage',
      handler: async (ctx) => void (ctx.body = await rules.update(actorOf(ctx).userid, id(ctx), await parse(ruleBody, ctx), ctx.state.requestId)),
    },
    {
      method: 'post',
      path: '/api/automations/:id/enable',
      access: 'automation:manage',
      handler: async (ctx) => void (ctx.body = await rules.setEnabled(actorOf(ctx).userid, id(ctx), true, ctx.state.requestId)),
    },
    {
      method: 'post',
      path: '/api/automations/:id/disable',
      access: 'automation:manage',
      handler: async (ctx) => void (ctx.body = await rules.setEnabled(actorOf(ctx).userid, id(ctx), false, ctx.state.requestId)),
    },
    {
      method: 'delete',
      path: '/api/automations/:id',
      access: 'automation:manage',
      handler: async (ctx) => {
        await rules.remove(actorOf(ctx).userid, id(ctx), ctx.state.requestId);
        ctx.status = 204;
      },
    },
    {
      method: 'post',
      path: '/api/automations/:id/dry-run',
      access: 'automation:manage',
      handler: async (ctx) => void (ctx.body = await dryRun.run(await rules.find(id(ctx)))),
    },
    {
      method: 'get',
      path: '/api/automations/:id/runs',
      access: 'automation:manage',
      handler: async (ctx) => {
        const q = parseQuery(runsQuery, ctx);
        ctx.body = await rules.runs(id(ctx), q.before ?? null, q.limit);
      },
    },
  ];
}
