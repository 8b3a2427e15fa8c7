import type { EntityManager } from 'typeorm';
import { AppError, NotFoundError, ValidationError } from '../../errors';
import { checkTag, withTag } from '../../lib/tags';
import type { AutomationActionDef } from '../../platform/automation-actions';
import type { Tx } from '../../platform/tx';
import type { Assigner } from './assigner';
import { Order } from './order.entity';

type NamesOf = (userids: readonly string[], manager?: EntityManager) => Promise<Map<string, string>>;

async function orderOf(tx: Tx, orderSn: string | null): Promise<Order> {
  const order = orderSn ? await tx.manager.findOneBy(Order, { orderSn }) : null;
  if (!order) throw new NotFoundError(`订单 ${orderSn ?? ''} 不存在 (order not found)`);
  return order;
}

async function memberParam(params: Record<string, unknown>, tx: Tx, namesOf: NamesOf): Promise<string> {
  const member = params['member'];
  if (typeof member !== 'string' || !member) throw new ValidationError('请选择成员 (params.member is required)', { field: 'params.member' });
  if (!(await namesOf([member], tx.manager)).has(member)) throw new ValidationError(`成员 ${member} 不存在 (unknown member)`, { field: 'params.member' });
  return member;
}

/**
 * What automation rules may do with orders: give an unheld order to a member (never taking it from someone who holds
 * it), and label it. Both go through the same rules as the H5 (the member must be allowed to claim in the shop).
 */
export function orderAutomationActions(assigner: Assigner, namesOf: NamesOf): AutomationActionDef[] {
  return [
    {
      key: 'order.assign',
      label: '分配订单',
      subject: 'order_id',
      params: { member: { label: '分配给', kind: 'member' } },
      check: async (params, tx) => ({ member: await memberParam(params, tx, namesOf) }),
      preview: async ({ params, target, tx }) => {
        const order = await orderOf(tx, target);
        const member = String(params['member']);
        const names = await namesOf([member, ...(order.assignee ? [order.assignee] : [])], tx.manager);
        if (order.assignee && order.assignee !== member) return `订单 ${order.orderSn} 已由 ${names.get(order.assignee) ?? order.assignee} 处理，不改派`;
        return `把订单 ${order.orderSn} 分配给 ${names.get(member) ?? member}`;
      },
      run: async ({ params, target, rule, tx }) => {
        const order = await orderOf(tx, target);
        const member = String(params['member']);
        const names = await namesOf([member, ...(order.assignee ? [order.assignee] : [])], tx.manager);
        if (order.assignee && order.assignee !== member)
          throw new AppError(409, 'already_claimed', `订单已由 ${names.get(order.assignee) ?? order.assignee} 处理，不改派 (held by someone else)`);
        await assigner.assign(tx, order, member, 'system', `自动化「${rule.name}」`);
        return `已把订单 ${order.orderSn} 分配给 ${names.get(member) ?? member}`;
      },
    },
    {
      key: 'order.tag',
      label: '订单打标签',
      subject: 'order_id',
      params: { tag: { label: '标签', kind: 'tag' } },
      check: (params) => Promise.resolve({ tag: checkTag(params['tag'], 'params.tag') }),
      preview: async ({ params, target, tx }) => {
        const order = await orderOf(tx, target);
        return (order.tags ?? []).includes(String(params['tag']))
          ? `订单 ${order.orderSn} 已有标签「${String(params['tag'])}」`
          : `给订单 ${order.orderSn} 打上「${String(params['tag'])}」`;
      },
      run: async ({ params, target, tx }) => {
        const order = await orderOf(tx, target);
        const tag = String(params['tag']);
        const tags = withTag(order.tags ?? [], tag);
        if (!tags) return `订单 ${order.orderSn} 已有标签「${tag}」`;
        // Compare-and-set on the list read: a concurrent label is not lost (the loser's unit retries from the event).
        const res = await tx.manager
          .createQueryBuilder()
          .update(Order)
          .set({ tags })
          .where('id = :id AND tags = :before', { id: order.id, before: JSON.stringify(order.tags ?? []) })
          .execute();
        if (res.affected !== 1) throw new Error(`order ${order.orderSn} tags changed meanwhile`);
        await tx.audit({ action: 'orders.tagged', targetType: 'order', targetId: order.orderSn, before: { tags: order.tags }, after: { tags } });
        return `已给订单 ${order.orderSn} 打上「${tag}」`;
      },
    },
  ];
}
