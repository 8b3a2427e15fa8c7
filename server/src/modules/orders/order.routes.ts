import { z } from 'zod';
import { ORDER_STATUSES, ORDER_VIEWS } from '@shopcrew/shared';
import { ValidationError } from '../../errors';
import { actorOf, type AppContext } from '../../http/context';
import type { RouteDef } from '../../http/routes';
import { parse, parseQuery, pathParam } from '../../http/validate';
import type { UnitOfWork } from '../../platform/tx';
import type { Assigner } from './assigner';
import type { OrderService } from './order.service';
import { OrderDuty } from './order.entity';

const listQuery = z.object({
  shop: z
    .string()
    .regex(/^\d{1,32}$/, 'shop 必须是店铺ID (shop must be a shop id)')
    .optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  view: z.enum(ORDER_VIEWS).default('all'),
  q: z.string().max(64).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
const assignBody = z.object({ userid: z.string().min(1).max(64) }).strict();
const dutyBody = z.object({ onDuty: z.boolean() }).strict();
const shipBody = z
  .object({
    mode: z.enum(['pickup', 'dropoff', 'non_integrated']),
    addressId: z.number().int().optional(),
    pickupTimeId: z.string().max(64).optional(),
    branchId: z.number().int().optional(),
    trackingNumber: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{4,64}$/, 'trackingNumber 只能是 4–64 位字母数字 (letters and digits)')
      .optional(),
  })
  .strict();

export interface OrderRouteDeps {
  orders: OrderService;
  assigner: Assigner;
  uow: UnitOfWork;
  eligible(shopId: string): Promise<string[]>;
}

/** 订单: the inbox, one order, claim / release / assign, shipping, and who is on duty. */
export function orderRoutes(d: OrderRouteDeps): RouteDef[] {
  const sn = (ctx: AppContext) => {
    const value = pathParam(ctx, 'orderSn');
    if (!/^[A-Za-z0-9]{1,64}$/.test(value)) throw new ValidationError('订单号无效 (invalid order number)', { field: 'orderSn' });
    return value;
  };
  return [
    {
      method: 'get',
      path: '/api/orders',
      access: 'orders:read',
      handler: async (ctx) => {
        ctx.body = await d.orders.list(actorOf(ctx), parseQuery(listQuery, ctx));
      },
    },
    {
      method: 'get',
      path: '/api/orders/duty',
      access: 'orders:claim',
      handler: async (ctx) => {
        const row = await d.uow.run({ actor: ctx.state.userid! }, (tx) => tx.manager.findOneBy(OrderDuty, { userid: ctx.state.userid! }));
        ctx.body = { onDuty: row?.onDuty ?? false };
      },
    },
    {
      method: 'put',
      path: '/api/orders/duty',
      access: 'orders:claim',
      handler: async (ctx) => {
        const { onDuty } = await parse(dutyBody, ctx);
        await d.uow.run({ actor: ctx.state.userid!, requestId: ctx.state.requestId }, (tx) => d.assigner.setDuty(tx, ctx.state.userid!, onDuty));
        ctx.body = { onDuty };
      },
    },
    {
      method: 'get',
      path: '/api/orders/:orderSn',
      access: 'orders:read',
      handler: async (ctx) => void (ctx.body = await d.orders.detail(actorOf(ctx), sn(ctx))),
    },
    {
      method: 'post',
      path: '/api/orders/:orderSn/claim',
      access: 'orders:claim',
      handler: async (ctx) => void (ctx.body = await d.orders.claim(actorOf(ctx), sn(ctx), ctx.state.requestId)),
    },
    {
      method: 'post',
      path: '/api/orders/:orderSn/release',
      access: 'orders:claim',
      handler: async (ctx) => void (ctx.body = await d.orders.release(actorOf(ctx), sn(ctx), ctx.state.requestId)),
    },
    {
      method: 'post',
      path: '/api/orders/:orderSn/assign',
      access: 'orders:assign',
      handler: async (ctx) => {
        const { userid } = await parse(assignBody, ctx);
        ctx.body = await d.orders.assign(actorOf(ctx), sn(ctx), userid, ctx.state.requestId);
      },
    },
    {
      method: 'get',
      path: '/api/orders/:orderSn/assignees',
      access: 'orders:assign',
      handler: async (ctx) => void (ctx.body = await d.orders.assignees(actorOf(ctx), sn(ctx), (shopId) => d.eligible(shopId))),
    },
    {
      method: 'get',
      path: '/api/orders/:orderSn/shipping',
      access: 'orders:read',
      handler: async (ctx) => void (ctx.body = await d.orders.shippingOptions(actorOf(ctx), sn(ctx))),
    },
    {
      method: 'post',
      path: '/api/orders/:orderSn/ship',
      access: 'orders:read',
      handler: async (ctx) => {
        const input = await parse(shipBody, ctx);
        ctx.body = await d.orders.ship(actorOf(ctx), sn(ctx), input, ctx.state.requestId);
      },
    },
  ];
}
