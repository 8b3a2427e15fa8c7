import { CASE_STATE_ZH, type HandoverItem } from '@shopcrew/shared';
import type { HandoverDef, HandoverInput } from '../../platform/handovers';
import type { Tx } from '../../platform/tx';
import { publishCaseAssigned, type CaseAssigner } from './case-assigner';
import { Case, CaseHistory } from './case.entity';

export interface CaseHandoverDeps {
  assigner: CaseAssigner;
  /** Active members who may handle the shop's cases (aftersales:handle). */
  eligible(shopId: string): Promise<string[]>;
  namesOf(userids: readonly string[], manager?: Tx['manager']): Promise<Map<string, string>>;
  now(): number;
}

const REASON_ZH: Record<HandoverInput['reason'], string> = { deleted: '离职', moved: '调岗' };

/**
 * A leaving member's open cases (platform/handovers.ts): each goes by the shop's rule (round-robin: the on-duty member
 * with the fewest open cases, the leaver excluded), else to the lead in `fallback` when they may handle the shop's
 * cases, else back unassigned to be claimed — never left with the leaver. Run again, it finds nothing.
 */
export function caseHandover(deps: CaseHandoverDeps): HandoverDef {
  return {
    key: 'aftersales.open',
    handOver: async (input, tx) => {
      const held = await tx.manager.find(Case, { where: { assignee: input.userid, open: 1 }, order: { id: 'ASC' } });
      if (!held.length) return [];
      const leaver = (await deps.namesOf([input.userid], tx.manager)).get(input.userid) ?? input.userid;
      const why = `${leaver}${REASON_ZH[input.reason]}`;
      const recipient = recipientFinder(deps, input);
      const items: HandoverItem[] = [];
      for (const c of held) {
        const to = await recipient(tx, c.shopId);
        const toName = to ? ((await deps.namesOf([to], tx.manager)).get(to) ?? to) : null;
        if (!(await move(tx, c, to, deps.now()))) continue; // claimed or reassigned meanwhile: no longer the leaver's
        await tx.manager.insert(CaseHistory, {
          caseId: c.id,
          at: deps.now(),
          kind: 'assigned',
          actor: null,
          from: null,
          to: null,
          text: `交接：${why}，${toName ? `转给 ${toName}` : '退回待认领'}`,
        });
        await tx.audit({
          action: 'aftersales.case_handed_over',
          targetType: 'case',
          targetId: String(c.id),
          before: { assignee: input.userid },
          after: { assignee: to, reason: input.reason },
        });
        if (to) await publishCaseAssigned(tx, c, to, toName ?? to, `交接（${why}）`);
        items.push({
          kind: 'case',
          id: String(c.id),
          label: `售后 #${c.id} ${c.title}（${CASE_STATE_ZH[c.state]}）`,
          to: to ? { userid: to, name: toName ?? to } : null,
          link: `/cases/${c.id}`,
        });
      }
      return items;
    },
  };
}

/** A compare-and-set on the leaver still holding the case, so a concurrent claim wins instead of failing the handover. */
async function move(tx: Tx, c: Case, to: string | null, now: number): Promise<boolean> {
  const moved = await tx.manager
    .createQueryBuilder()
    .update(Case)
    .set({ assignee: to, updatedAt: now })
    .where('id = :id AND assignee = :holder', { id: c.id, holder: c.assignee })
    .execute();
  return moved.affected === 1;
}

/** Who takes one case of the leaver's: the shop's round-robin, else the fallback lead if eligible, else nobody. */
function recipientFinder(deps: CaseHandoverDeps, input: HandoverInput): (tx: Tx, shopId: string) => Promise<string | null> {
  const eligible = new Map<string, Promise<string[]>>(); // per shop, once per handover
  const fallback = input.fallback !== input.userid ? input.fallback : null;
  return async (tx, shopId) => {
    const pick = await deps.assigner.pick(tx, shopId, input.userid);
    if (pick) return pick;
    if (!fallback) return null;
    if (!eligible.has(shopId)) eligible.set(shopId, deps.eligible(shopId));
    // A lead who may not handle this shop's cases could not work on them: the case waits to be claimed instead.
    return (await eligible.get(shopId)!).includes(fallback) ? fallback : null;
  };
}
