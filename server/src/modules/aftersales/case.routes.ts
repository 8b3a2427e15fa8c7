import { z } from 'zod';
import { CASE_STATES, CASE_TYPES, CASE_VIEWS } from '@shopcrew/shared';
import { ValidationError } from '../../errors';
import { actorOf, type AppContext } from '../../http/context';
import type { RouteDef } from '../../http/routes';
import { parse, parseQuery, pathParam } from '../../http/validate';
import type { ShopService } from '../shops/shop.service';
import type { CaseQuery } from './case-query';
import type { CaseService } from './case.service';
import { policyBody, type PolicyService } from './policy.service';

const listQuery = z.object({
  shop: z
    .string()
    .regex(/^\d{1,32}$/, 'shop 必须是店铺ID (shop must be a shop id)')
    .optional(),
  state: z.enum(CASE_STATES).optional(),
  view: z.enum(CASE_VIEWS).default('all'),
  approval: z.enum(['pending']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
const newCase = z
  .object({
    shopId: z.string().regex(/^\d{1,32}$/),
    orderSn: z
      .string()
      .regex(/^[A-Za-z0-9]{1,64}$/, 'orderSn 只能是字母数字 (letters and digits)')
      .optional(),
    type: z.enum(CASE_TYPES),
    title: z.string().trim().min(1, '请填写标题 (title is required)').max(100),
    description: z.string().max(2000).optional(),
  })
  .strict();
const transitionBody = z.object({ to: z.enum(CASE_STATES), reason: z.string().max(500).optional() }).strict();
const assignBody = z.object({ userid: z.string().min(1).max(64) }).strict();
const noteBody = z.object({ text: z.string().trim().min(1, '请填写备注 (text is required)').max(2000) }).strict();
const approvalBody = z.object({ decision: z.enum(['approve', 'reject']), reason: z.string().max(500).optional() }).strict();

export interface CaseRouteDeps {
  cases: CaseService;
  query: CaseQuery;
  policies: PolicyService;
  shops: ShopService;
  eligible(shopId: string): Promise<string[]>;
  namesOf(userids: readonly string[]): Promise<Map<string, string>>;
}

/** 售后: the case views, one case and the actions on it, and the per-shop policy. */
export function caseRoutes(d: CaseRouteDeps): RouteDef[] {
  const id = (ctx: AppContext) => {
    const n = Number(pathParam(ctx, 'id'));
    if (!Number.isSafeInteger(n) || n <= 0) throw new ValidationError('工单ID无效 (invalid case id)', { field: 'id' });
    return n;
  };
  const shopId = async (ctx: AppContext) => (await d.shops.get(pathParam(ctx, 'shopId'))).shopId;
  return [
    {
      method: 'get',
      path: '/api/cases',
      access: 'aftersales:read',
      handler: async (ctx) => {
        ctx.body = await d.query.list(actorOf(ctx), parseQuery(listQuery, ctx));
      },
    },
    {
      method: 'post',
      path: '/api/cases',
      access: 'aftersales:handle',
      handler: async (ctx) => {
        ctx.body = await d.cases.create(actorOf(ctx), await parse(newCase, ctx), ctx.state.requestId);
        ctx.status = 201;
      },
    },
    { method: 'get', path: '/api/cases/:id', access: 'aftersales:read', handler: async (ctx) => void (ctx.body = await d.query.detail(actorOf(ctx), id(ctx))) },
    {
      method: 'post',
      path: '/api/cases/:id/transition',
      access: 'aftersales:handle',
      handler: async (ctx) => {
        const { to, reason } = await parse(transitionBody, ctx);
        ctx.body = await d.cases.transition(actorOf(ctx), id(ctx), to, reason, ctx.state.requestId);
      },
    },
    {
      method: 'post',
      path: '/api/cases/:id/claim',
      access: 'aftersales:handle',
      handler: async (ctx) => void (ctx.body = await d.cases.claim(actorOf(ctx), id(ctx), ctx.state.requestId)),
    },
    {
      method: 'post',
      path: '/api/cases/:id/assign',
      access: 'aftersales:handle',
      handler: async (ctx) => {
        const { userid } = await parse(assignBody, ctx);
        ctx.body = await d.cases.assign(actorOf(ctx), id(ctx), userid, ctx.state.requestId);
      },
    },
    {
      method: 'get',
      path: '/api/cases/:id/assignees',
      access: 'aftersales:handle',
      handler: async (ctx) => {
        const c = await d.query.detail(actorOf(ctx), id(ctx));
        const who = await d.eligible(c.shopId);
        const [names, open] = await Promise.all([d.namesOf(who), d.query.openCounts(who)]);
        // openOrders: the open cases each holds (the picker's load column); on-duty is an orders notion.
        ctx.body = { members: who.map((u) => ({ userid: u, name: names.get(u) ?? u, onDuty: false, openOrders: open.get(u) ?? 0 })) };
      },
    },
    {
      method: 'post',
      path: '/api/cases/:id/notes',
      access: 'aftersales:handle',
      handler: async (ctx) => {
        const { text } = await parse(noteBody, ctx);
        ctx.body = await d.cases.note(actorOf(ctx), id(ctx), text, ctx.state.requestId);
      },
    },
    {
      method: 'post',
      path: '/api/cases/:id/approval',
      access: 'aftersales:read',
      handler: async (ctx) => void (ctx.body = await d.cases.decideFromApi(actorOf(ctx), id(ctx), await parse(approvalBody, ctx), ctx.state.requestId)),
    },
    {
      method: 'get',
      path: '/api/aftersales/policies/:shopId',
      access: 'aftersales:read',
      handler: async (ctx) => {
        const shop = await d.shops.get(pathParam(ctx, 'shopId'));
        ctx.body = await d.policies.get(shop.shopId, shop.currency);
      },
    },
    {
      method: 'put',
      path: '/api/aftersales/policies/:shopId',
      access: 'settings:manage',
      handler: async (ctx) => {
        const shop = await d.shops.get(await shopId(ctx));
        ctx.body = await d.policies.put(shop.shopId, shop.currency, await parse(policyBody, ctx), ctx.state.userid!, ctx.state.requestId);
      },
    },
  ];
}
