import { In, type EntityManager } from 'typeorm';
import { ORDER_STATUS_ZH, type HandoverItem } from '@shopcrew/shared';
import type { HandoverDef, HandoverInput } from '../../platform/handovers';
import type { Tx } from '../../platform/tx';
import type { Assigner } from './assigner';
import { Order } from './order.entity';
import { isClaimable, UNSHIPPED } from './order-status';
import { orderUrl } from './order-view';

export interface OrderHandoverDeps {
  assigner: Assigner;
  /** The shop's assignment rule; null when the shop is unknown (then as manual). */
  ruleOf(shopId: string): Promise<{ mode: 'manual' | 'round_robin'; cap: number } | null>;
  /** Active members who may hold the shop's orders (orders:claim). */
  eligible(shopId: string): Promise<string[]>;
  namesOf(userids: readonly string[], manager?: EntityManager): Promise<Map<string, string>>;
}

const REASON_ZH: Record<HandoverInput['reason'], string> = { deleted: '离职', moved: '调岗' };

/**
 * A leaving member's unshipped orders (platform/handovers.ts): each goes by the shop's rule (round-robin: the on-duty
 * member with the fewest open orders, the leaver excluded), else to the lead in `fallback` when they may hold the
 * shop's orders, else back unassigned — never left with the leaver. Run again, it finds nothing: the orders it moved
 * are no longer theirs.
 */
export function orderHandover(deps: OrderHandoverDeps): HandoverDef {
  return {
    key: 'orders.open',
    handOver: async (input, tx) => {
      const held = await tx.manager.find(Order, { where: { assignee: input.userid, status: In([...UNSHIPPED]) }, order: { id: 'ASC' } });
      if (!held.length) return [];
      const leaver = (await deps.namesOf([input.userid], tx.manager)).get(input.userid) ?? input.userid;
      const why = `${leaver}${REASON_ZH[input.reason]}`;
      const recipient = recipientFinder(deps, input);
      const items: HandoverItem[] = [];
      for (const order of held) {
        const to = await recipient(tx, order.shopId);
        const toName = to ? ((await deps.namesOf([to], tx.manager)).get(to) ?? to) : null;
        const text = `交接：${why}，${toName ? `转给 ${toName}` : isClaimable(order.status) ? '退回待认领' : '暂无处理人，待组长分配'}`;
        // A claim or transfer that got there first keeps the order: it is no longer the leaver's, nothing to report.
        if (!(await deps.assigner.handOver(tx, order, to, text, `交接（${why}）`))) continue;
        await tx.audit({
          action: 'orders.handed_over',
          targetType: 'order',
          targetId: order.orderSn,
          before: { assignee: input.userid },
          after: { assignee: to, reason: input.reason },
        });
        items.push({
          kind: 'order',
          id: order.orderSn,
          label: `订单 ${order.orderSn}（${ORDER_STATUS_ZH[order.status]}）`,
          to: to ? { userid: to, name: toName ?? to } : null,
          link: orderUrl(order.orderSn),
        });
      }
      return items;
    },
  };
}

/** Who takes one order of the leaver's: the shop's round-robin, else the fallback lead if eligible, else nobody. */
function recipientFinder(deps: OrderHandoverDeps, input: HandoverInput): (tx: Tx, shopId: string) => Promise<string | null> {
  // The rule and the eligible members per shop are read once per handover; round-robin's loads are read per order,
  // since every order it gives away changes them.
  const rules = new Map<string, Promise<{ mode: 'manual' | 'round_robin'; cap: number } | null>>();
  const eligible = new Map<string, Promise<string[]>>();
  const once = <T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, load());
    return cache.get(key)!;
  };
  // The leader of a department the leaver led may be the leaver themselves: never hand back to them.
  const fallback = input.fallback !== input.userid ? input.fallback : null;
  return async (tx, shopId) => {
    const rule = await once(rules, shopId, () => deps.ruleOf(shopId));
    if (rule?.mode === 'round_robin') {
      const pick = await deps.assigner.pick(tx, shopId, rule.cap, input.userid);
      if (pick) return pick;
    }
    // A lead who may not hold this shop's orders could not even open them: the order waits in the pool instead.
    if (fallback && (await once(eligible, shopId, () => deps.eligible(shopId))).includes(fallback)) return fallback;
    return null;
  };
}
