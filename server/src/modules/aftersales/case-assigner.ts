import type { Tx } from '../../platform/tx';
import { Case, CaseHistory } from './case.entity';

export interface CaseAssignerDeps {
  /** The shop's assignment rule (the same as its orders'). */
  ruleOf(shopId: string): Promise<{ mode: 'manual' | 'round_robin'; cap: number } | null>;
  eligible(shopId: string): Promise<string[]>;
  onDutyAmong(userids: readonly string[]): Promise<string[]>;
  namesOf(userids: readonly string[], manager?: Tx['manager']): Promise<Map<string, string>>;
}

/**
 * A new case goes where the shop's orders go: with manual assignment it waits unassigned to be claimed; with
 * round-robin it goes to the on-duty member who may handle after-sales in the shop and holds the fewest open cases
 * (under the shop's cap), the one who got one longest ago first.
 */
export class CaseAssigner {
  constructor(private readonly deps: CaseAssignerDeps) {}

  async autoAssign(tx: Tx, c: Case, now: number): Promise<string | null> {
    const pick = await this.pick(tx, c.shopId);
    if (!pick) return null;
    const taken = await tx.manager.createQueryBuilder().update(Case).set({ assignee: pick }).where('id = :id AND assignee IS NULL', { id: c.id }).execute();
    if (taken.affected !== 1) return null;
    const name = (await this.deps.namesOf([pick], tx.manager)).get(pick) ?? pick;
    await tx.manager.insert(CaseHistory, { caseId: c.id, at: now, kind: 'assigned', actor: null, from: null, to: null, text: `自动分配给 ${name}` });
    await publishCaseAssigned(tx, c, pick, name, '自动分配');
    return pick;
  }

  /**
   * Round-robin's choice in the shop, or null when the shop assigns by hand or nobody qualifies. `exclude` leaves out a
   * member who is leaving: one who only moved department is still active, and may still be eligible.
   */
  async pick(tx: Tx, shopId: string, exclude: string | null = null): Promise<string | null> {
    const rule = await this.deps.ruleOf(shopId);
    if (rule?.mode !== 'round_robin') return null;
    const onDuty = (await this.deps.onDutyAmong(await this.deps.eligible(shopId))).filter((u) => u !== exclude);
    if (!onDuty.length) return null;
    const loads = await tx.manager
      .createQueryBuilder(Case, 'c')
      .select('c.assignee', 'assignee')
      .addSelect('COUNT(*)', 'open')
      .addSelect('MAX(c.created_at)', 'last')
      .where('c.assignee IN (:...who) AND c.open = 1', { who: onDuty })
      .groupBy('c.assignee')
      .getRawMany<{ assignee: string; open: string | number; last: string | number | null }>();
    const load = new Map(loads.map((l) => [l.assignee, { open: Number(l.open), last: Number(l.last ?? 0) }]));
    const pick = onDuty
      .map((u) => ({ u, ...(load.get(u) ?? { open: 0, last: 0 }) }))
      .filter((x) => x.open < rule.cap)
      .sort((a, b) => a.open - b.open || a.last - b.last || a.u.localeCompare(b.u))[0];
    return pick?.u ?? null;
  }
}

/** case.assigned: a case got an assignee (claimed, assigned by a lead, by round-robin, or handed over). */
export async function publishCaseAssigned(
  tx: Tx,
  c: Pick<Case, 'id' | 'shopId' | 'orderSn'>,
  assignee: string,
  assigneeName: string,
  byName?: string,
): Promise<void> {
  await tx.publish('case.assigned', {
    case_id: String(c.id),
    shop_id: c.shopId,
    order_id: c.orderSn ?? '—',
    assignee,
    assignee_name: assigneeName,
    ...(byName ? { by_name: byName } : {}),
    url: `/cases/${c.id}`,
  });
}
