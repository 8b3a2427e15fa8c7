import type { EntityManager } from 'typeorm';
import type { HandoverItem, HandoverKind } from '@shopcrew/shared';
import type { DomainEvent, Subscriber } from '../../platform/events';
import type { HandoverDef, HandoverInput, HandoverRegistry } from '../../platform/handovers';
import type { Tx } from '../../platform/tx';
import type { RuleService } from './rule.service';
import type { RunService } from './run.service';
import { HandoverRow, SopRun, SopRunStep } from './sop.entity';

export interface OffboardingDeps {
  leadFor(userid: string | null, manager: EntityManager): Promise<string | null>;
  /** The lead of a department the member left (its nearest leader up the tree), the member aside. */
  leadOfDepartment(departmentId: number, userid: string, manager: EntityManager): Promise<string | null>;
  namesOf(userids: readonly string[], manager: EntityManager): Promise<Map<string, string>>;
}

const KIND_ZH: Record<HandoverKind, string> = { order: '订单', case: '售后', sop_step: '清单步骤' };

/**
 * A member removed from WeCom (member.left) or out of a department (member.moved): every module hands their open work
 * over (platform/handovers.ts) in this one unit, the report is stored and sent to their lead, and the offboarding
 * checklist starts. The event is handled once (subscribers are) and the report is keyed by it; the handovers find
 * nothing left on a second departure, so nothing stays with the member and nothing moves twice.
 */
export class Offboarding {
  constructor(
    private readonly handovers: HandoverRegistry,
    private readonly rules: RuleService,
    private readonly runs: RunService,
    private readonly deps: OffboardingDeps,
    private readonly now: () => number,
  ) {}

  subscriber(): Subscriber {
    return { key: 'sop.offboarding', on: ['member.left', 'member.moved'], handle: (e, tx) => this.handle(e, tx) };
  }

  async handle(event: DomainEvent, tx: Tx): Promise<void> {
    const userid = String(event.payload['userid']);
    const reason = event.type === 'member.moved' ? 'moved' : 'deleted';
    if (await tx.manager.existsBy(HandoverRow, { eventId: event.id })) return;
    // Moved: the team they left hands over, so its lead takes the work; removed: their own lead (else an owner).
    const leftDepartments = event.payload['left_departments'];
    const left = typeof leftDepartments === 'string' ? Number(leftDepartments.split(',')[0]) : 0;
    const fallback =
      (reason === 'moved' && left ? await this.deps.leadOfDepartment(left, userid, tx.manager) : null) ?? (await this.deps.leadFor(userid, tx.manager));
    const input: HandoverInput = { userid, reason, fallback };
    const items: HandoverItem[] = [];
    for (const def of this.handovers.all()) items.push(...(await def.handOver(input, tx)));
    const names = await this.deps.namesOf([userid], tx.manager);
    const name = names.get(userid) ?? userid;
    let runId: number | null = null;
    for (const rule of await this.rules.matching(tx, { trigger: 'member_left' })) {
      // The member's checklist (one per template version, like any subject); its steps go to whoever took the work.
      const run = await this.runs.start(tx, {
        templateId: rule.templateId,
        subject: { type: 'member', id: userid, label: `成员 ${name}（${reason === 'moved' ? '调岗' : '离职'}）` },
        shopId: null,
        startedBy: 'system',
        ruleId: rule.id,
        subjectAssignee: fallback,
        lead: fallback,
      });
      runId ??= run?.id ?? null;
    }
    await tx.manager.insert(HandoverRow, { eventId: event.id, userid, reason, lead: fallback, items, runId, at: this.now() });
    await tx.audit({ action: 'sop.handover', targetType: 'member', targetId: userid, after: { reason, lead: fallback, items: items.length, runId } });
    await tx.publish('member.handed_over', {
      userid,
      name,
      reason: reason === 'moved' ? '调岗' : '离职',
      ...(fallback ? { assignee: fallback } : {}),
      count: items.length,
      summary: summarize(items),
      url: `/handovers/${encodeURIComponent(userid)}`,
    });
  }

  /** The SOP module's own part: a leaver's checklist steps still to do go to the lead. */
  stepsHandover(): HandoverDef {
    return {
      key: 'sop.steps',
      handOver: async ({ userid, fallback }, tx) => {
        const steps = await tx.manager.findBy(SopRunStep, { assignee: userid, state: 'todo' });
        const names = fallback ? await this.deps.namesOf([fallback], tx.manager) : new Map<string, string>();
        const items: HandoverItem[] = [];
        for (const s of steps) {
          const run = await tx.manager.findOneBy(SopRun, { id: s.runId });
          if (!run || run.state === 'cancelled') continue;
          await tx.manager.update(SopRunStep, { id: s.id, assignee: userid }, { assignee: fallback });
          items.push({
            kind: 'sop_step',
            id: String(s.id),
            label: `${run.templateName}：${s.title}${run.subjectLabel ? `（${run.subjectLabel}）` : ''}`,
            to: fallback ? { userid: fallback, name: names.get(fallback) ?? fallback } : null,
            link: `/checklists/${run.id}`,
          });
        }
        return items;
      },
    };
  }
}

/** `订单 3 · 售后 1 · 清单步骤 1`, or 无待交接的工作. */
function summarize(items: HandoverItem[]): string {
  const counts = new Map<HandoverKind, number>();
  for (const i of items) counts.set(i.kind, (counts.get(i.kind) ?? 0) + 1);
  return counts.size ? [...counts].map(([k, n]) => `${KIND_ZH[k]} ${n}`).join(' · ') : '无待交接的工作';
}
