import type { EntityManager } from 'typeorm';
import { defineModule } from '../../platform/module';
import { Assigner } from './assigner';
import { orderAutomationActions } from './automation-actions';
import { claimCardAction } from './card-actions';
import { orderHandover } from './handover';
import { ORDER_EVENTS } from './order.events';
import { Order, OrderDuty, OrderItem, OrderTimelineEntry } from './order.entity';
import { orderPushHandlers } from './order-push.handlers';
import { orderRoutes } from './order.routes';
import { OrderService, TRACKING_TIMER } from './order.service';
import { OrderSync } from './order-sync.service';
import { orderExport } from './order-export';
import { Reconciler } from './reconciler';

declare module '../../platform/services' {
  interface ServiceMap {
    orders: OrderService;
    orderSync: OrderSync;
    orderReconciler: Reconciler;
  }
}

/** Orders from the linked shops: push and sweep, the claim pool, assignment, shipping and the 新订单 card (README.md). */
export const ordersModule = defineModule({
  name: 'orders',
  entities: [Order, OrderItem, OrderTimelineEntry, OrderDuty],
  create: ({ config, ds, uow, leases, logger, services, scheduler }) => {
    const shops = services.get('shops');
    const org = services.get('org');
    const roles = services.get('roles');
    const namesOf = (userids: readonly string[], manager?: EntityManager) => org.namesOf(userids, manager);
    const eligible = (shopId: string) => roles.membersWithPermission('orders:claim', shopId);
    const assigner = new Assigner({ membersWithPermission: (p, shopId) => roles.membersWithPermission(p, shopId), namesOf });
    const sync = new OrderSync(uow, shops, assigner, logger);
    assigner.attach(sync);
    const orders = new OrderService(ds, uow, shops, assigner, sync, namesOf, scheduler.timers);
    const reconciler = new Reconciler(shops, sync, leases, logger);
    let startup: NodeJS.Timeout | null = null;
    return {
      provides: { orders, orderSync: sync, orderReconciler: reconciler },
      events: ORDER_EVENTS,
      routes: orderRoutes({ orders, assigner, uow, eligible }),
      inboxHandlers: { shopee: orderPushHandlers(orders, logger) },
      cardActions: [claimCardAction(assigner, namesOf)],
      automationActions: orderAutomationActions(assigner, namesOf),
      exports: [orderExport({ ds, shops, namesOf, timeZone: config.TZ_CORP })],
      handovers: [
        orderHandover({
          assigner,
          ruleOf: async (shopId) => {
            const shop = await shops.get(shopId).catch(() => null);
            return shop ? { mode: shop.assignmentMode, cap: shop.assignmentCap } : null;
          },
          eligible,
          namesOf,
        }),
      ],
      // The daily and weekly digests: new orders and the pool for everyone, shipments by the department's own people.
      digestSections: [
        {
          key: 'orders.new',
          label: '新订单',
          count: ({ from, to }) =>
            ds.getRepository(Order).createQueryBuilder('o').where('o.created_at >= :from AND o.created_at < :to', { from, to }).getCount(),
        },
        { key: 'orders.unclaimed', label: '待认领', count: () => ds.getRepository(Order).countBy({ pool: 1 }) },
        {
          key: 'orders.shipped',
          label: '已发货',
          count: async ({ from, to, departmentId }) => {
            const team = await org.activeMembersUnder(departmentId);
            if (!team.length) return 0;
            return ds
              .getRepository(OrderTimelineEntry)
              .createQueryBuilder('t')
              .where("t.kind = 'shipped' AND t.at >= :from AND t.at < :to AND t.actor IN (:...team)", { from, to, team })
              .getCount();
          },
        },
      ],
      timers: { [TRACKING_TIMER]: (t) => orders.onTrackingTimer(t.id, t.payload as { shopId: string; attempt: number }) },
      jobs: [{ key: 'orders.reconcile', cron: `1-59/${config.SHOPEE_RECONCILE_MINUTES} * * * *`, run: () => reconciler.sweepAll() }],
      background: [
        {
          // A sweep at start: whatever happened while no instance ran is repaired without waiting for the first round.
          name: 'orders.sweep-at-start',
          start: () => {
            startup = setTimeout(() => void reconciler.sweepAll().catch(() => undefined), 2_000);
            startup.unref();
          },
          stop: () => {
            if (startup) clearTimeout(startup);
            return Promise.resolve();
          },
        },
      ],
    };
  },
});
