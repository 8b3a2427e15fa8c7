import type { EntityManager } from 'typeorm';
import { AppError } from '../../errors';
import type { CardActionDef } from '../../platform/card-actions';
import type { Assigner } from './assigner';
import { Order } from './order.entity';

/**
 * 认领 on the 新订单 card: the click claims as the clicking member (orders:claim in the order's shop, checked by the
 * card-action registry), with the same compare-and-set as the H5; a click that loses is told who won.
 */
export function claimCardAction(assigner: Assigner, namesOf: (u: readonly string[], manager?: EntityManager) => Promise<Map<string, string>>): CardActionDef {
  return {
    key: 'order.claim',
    label: '认领',
    permission: 'orders:claim',
    shopOf: async (target, tx) => (await tx.manager.findOneBy(Order, { orderSn: target }))?.shopId ?? null,
    handle: async ({ userid, target, tx }) => {
      const order = await tx.manager.findOneBy(Order, { orderSn: target });
      if (!order) return { text: '订单不存在' };
      try {
        await assigner.claim(tx, order, userid);
        return { text: `已由 ${(await namesOf([userid], tx.manager)).get(userid) ?? userid} 认领` };
      } catch (err) {
        if (err instanceof AppError && err.code === 'already_claimed') return { text: err.message };
        if (err instanceof AppError && err.code === 'not_claimable') return { text: `订单已${order.status === 'CANCELLED' ? '取消' : '处理'}` };
        throw err;
      }
    },
  };
}
