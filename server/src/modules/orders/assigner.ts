import { In, type EntityManager } from 'typeorm';
import type { Permission } from '@shopcrew/shared';
import { AppError, ConflictError, ValidationError } from '../../errors';
import type { Tx } from '../../platform/tx';
import { Order, OrderDuty } from './order.entity';
import { CLAIMABLE, isClaimable, OPEN } from './order-status';
import { orderUrl } from './order-view';
import type { OrderSync } from './order-sync.service';

/** What the assigner asks of the rest of the product (roles and the address book, through their services). */
export interface AssignerDeps {
  membersWithPermission(permission: Permission, shopId: string): Promise<string[]>;
  namesOf(userids: readonly string[], manager?: EntityManager): Promise<Map<string, string>>;
  now?: () => number;
}

/**
 * Who holds an order. Every change is a compare-and-set on the row (the claim: `assignee IS NULL` and still
 * claimable), so under any concurrency exactly one claim wins and the others learn who did.
 */
export class Assigner {
  private sync!: OrderSync;

  constructor(private readonly deps: AssignerDeps) {}

  /** Wired after construction (sync announces through the assigner; the assigner writes timeline entries through sync). */
  attach(sync: OrderSync): void {
    this.sync = sync;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Claim for `userid`. Resolves 'won' or 'mine' (already theirs); a lost claim throws 409 already_claimed. */
  async claim(tx: Tx, order: Order, userid: string): Promise<'won' | 'mine'> {
    const now = this.now();
    const won = await tx.manager
      .createQueryBuilder()
      .update(Order)
      .set({ assignee: userid, claimedAt: now, pool: 0, updatedAt: now })
      .where('id = :id AND assignee IS NULL AND status IN (:...claimable)', { id: order.id, claimable: CLAIMABLE })
      .execute();
    if (won.affected === 1) {
      const name = await this.nameOf(userid, tx);
      await this.sync.timeline(tx, order.id, 'claimed', userid, `${name} 认领了订单`, null, userid);
      await tx.publish('order.claimed', {
        order_id: order.orderSn,
        shop_id: order.shopId,
        assignee: userid,
        assignee_name: name,
        url: orderUrl(order.orderSn),
      });
      return 'won';
    }
    const now2 = await currentRow(tx, order.id);
    if (now2.assignee === userid) return 'mine';
    if (now2.assignee) throw alreadyClaimed(now2.assignee, await this.nameOf(now2.assignee, tx));
    throw new ConflictError(`订单状态为 ${now2.status}，不能认领 (only orders waiting to ship can be claimed)`, 'not_claimable');
  }

  /** Give up a claim (the holder, or a lead): back to the pool while it still waits to be shipped. */
  async release(tx: Tx, order: Order, actor: string): Promise<void> {
    if (!order.assignee) throw new ConflictError('订单尚未被认领 (nobody holds this order)', 'not_claimed');
    const released = await tx.manager
      .createQueryBuilder()
      .update(Order)
      .set({ assignee: null, claimedAt: null, pool: CLAIMABLE.includes(order.status) ? 1 : 0, updatedAt: this.now() })
      .where('id = :id AND assignee = :holder', { id: order.id, holder: order.assignee })
      .execute();
    if (released.affected !== 1) throw new ConflictError('订单刚被他人改动，请刷新 (the order just changed; reload)', 'concurrent_change');
    await this.sync.timeline(tx, order.id, 'released', actor, `${await this.nameOf(actor, tx)} 释放了订单`, order.assignee, null);
    await tx.publish('order.released', { order_id: order.orderSn, shop_id: order.shopId, by: actor, url: orderUrl(order.orderSn) });
  }

  /** A lead gives the order to `userid` (assign, or transfer from its holder). The member must be active and allowed to claim. */
  async assign(tx: Tx, order: Order, userid: string, by: string, byName?: string): Promise<void> {
    const eligible = await this.deps.membersWithPermission('orders:claim', order.shopId);
    if (!eligible.includes(userid))
      throw new ValidationError(`成员 ${userid} 不存在、已离职或无权认领该店铺的订单 (member cannot take orders of this shop)`, { field: 'userid' });
    if (order.assignee === userid) return;
    const moved = await tx.manager
      .createQueryBuilder()
      .update(Order)
      .set({ assignee: userid, claimedAt: this.now(), pool: 0, updatedAt: this.now() })
      .where(order.assignee ? 'id = :id AND assignee = :prev' : 'id = :id AND assignee IS NULL', { id: order.id, prev: order.assignee })
      .execute();
    if (moved.affected !== 1) throw new ConflictError('订单刚被他人改动，请刷新 (the order just changed; reload)', 'concurrent_change');
    const names = await this.deps.namesOf([userid, by], tx.manager);
    const to = names.get(userid) ?? userid;
    const from = byName ?? names.get(by) ?? by;
    const text = order.assignee ? `${from} 把订单从 ${await this.nameOf(order.assignee, tx)} 转交给 ${to}` : `${from} 把订单分配给 ${to}`;
    await this.sync.timeline(tx, order.id, 'assigned', by === 'system' ? null : by, text, order.assignee, userid);
    await tx.publish('order.assigned', {
      order_id: order.orderSn,
      shop_id: order.shopId,
      assignee: userid,
      assignee_name: to,
      by_name: from,
      status: order.status,
      url: orderUrl(order.orderSn),
    });
  }

  /**
   * Round-robin: to the eligible on-duty member with the fewest open orders (under `cap`), the one who got one longest
   * ago first. False when nobody qualifies (the order stays in the pool and is announced).
   */
  async autoAssign(tx: Tx, order: Order, cap: number): Promise<boolean> {
    const pick = await this.pick(tx, order.shopId, cap);
    if (!pick) return false;
    await this.assign(tx, order, pick, 'system', '自动分配');
    return true;
  }

  /**
   * Round-robin's choice in a shop: the eligible on-duty member with the fewest open orders under `cap`, the one who got
   * one longest ago first; null when nobody qualifies. `exclude` leaves out a member who is leaving: one who only moved
   * department is still active, and may still be eligible, in the address book.
   */
  async pick(tx: Tx, shopId: string, cap: number, exclude: string | null = null): Promise<string | null> {
    const eligible = (await this.deps.membersWithPermission('orders:claim', shopId)).filter((u) => u !== exclude);
    if (!eligible.length) return null;
    const onDuty = (await tx.manager.findBy(OrderDuty, { userid: In(eligible), onDuty: true })).map((d) => d.userid);
    if (!onDuty.length) return null;
    const loads = await tx.manager
      .createQueryBuilder(Order, 'o')
      .select('o.assignee', 'assignee')
      .addSelect('COUNT(*)', 'open')
      .addSelect('MAX(o.claimed_at)', 'last')
      .where('o.assignee IN (:...who) AND o.status IN (:...open)', { who: onDuty, open: OPEN })
      .groupBy('o.assignee')
      .getRawMany<{ assignee: string; open: string | number; last: string | number | null }>();
    const load = new Map(loads.map((l) => [l.assignee, { open: Number(l.open), last: Number(l.last ?? 0) }]));
    const pick = onDuty
      .map((u) => ({ u, ...(load.get(u) ?? { open: 0, last: 0 }) }))
      .filter((c) => c.open < cap)
      .sort((a, b) => a.open - b.open || a.last - b.last || a.u.localeCompare(b.u))[0];
    return pick?.u ?? null;
  }

  /**
   * A leaving member's order to `to` (already chosen and eligible), or back unassigned when `to` is null: a
   * compare-and-set on the leaver still holding it, so a concurrent claim or transfer wins and this one reports false
   * instead of failing the whole handover. Timeline entry (`text`) and order.assigned / order.released as usual.
   */
  async handOver(tx: Tx, order: Order, to: string | null, text: string, byName: string): Promise<boolean> {
    const now = this.now();
    const moved = await tx.manager
      .createQueryBuilder()
      .update(Order)
      .set(
        to
          ? { assignee: to, claimedAt: now, pool: 0, updatedAt: now }
          : { assignee: null, claimedAt: null, pool: isClaimable(order.status) ? 1 : 0, updatedAt: now },
      )
      .where('id = :id AND assignee = :holder', { id: order.id, holder: order.assignee })
      .execute();
    if (moved.affected !== 1) return false;
    await this.sync.timeline(tx, order.id, to ? 'assigned' : 'released', null, text, order.assignee, to);
    const base = { order_id: order.orderSn, shop_id: order.shopId, url: orderUrl(order.orderSn) };
    if (to) await tx.publish('order.assigned', { ...base, assignee: to, assignee_name: await this.nameOf(to, tx), by_name: byName });
    else await tx.publish('order.released', { ...base, by: tx.actor });
    return true;
  }

  async setDuty(tx: Tx, userid: string, onDuty: boolean): Promise<void> {
    await tx.manager.upsert(OrderDuty, { userid, onDuty, updatedAt: this.now() }, ['userid']);
  }

  private async nameOf(userid: string, tx: Tx): Promise<string> {
    return (await this.deps.namesOf([userid], tx.manager)).get(userid) ?? userid;
  }
}

export function alreadyClaimed(userid: string, name: string): AppError {
  return new AppError(409, 'already_claimed', `已被 ${name} 认领`, { assignee: { userid, name } });
}

/**
 * The row as committed now, not as this transaction's snapshot saw it (MySQL's REPEATABLE READ would show the state
 * from before a competing claim committed): a locking read on MySQL; SQLite has one writer, so a plain read is current.
 */
export async function currentRow(tx: Tx, id: number): Promise<Order> {
  const qb = tx.manager.createQueryBuilder(Order, 'o').where('o.id = :id', { id });
  if (tx.manager.connection.options.type === 'mysql') qb.setLock('pessimistic_write'); // FOR UPDATE: MariaDB has no FOR SHARE
  return qb.getOneOrFail();
}
