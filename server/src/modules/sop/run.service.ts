import type { DataSource } from 'typeorm';
import { can, type Actor, type SopEvidence, type SopStepInput, type SopSubjectType } from '@shopcrew/shared';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import type { Tx, UnitOfWork } from '../../platform/tx';
import { resolveAssignee, type AssigneeDeps } from './assignees';
import { runState, stepState } from './sop-state';
import { SopFile, SopRun, SopRunStep, SopTemplate, SopTemplateVersion } from './sop.entity';
import { rolesHeldIn } from './tick-rights';

export interface RunSubject {
  type: SopSubjectType;
  id: string;
  label: string;
}

export interface StartRun {
  templateId: number;
  subject: RunSubject | null;
  shopId: string | null;
  startedBy: string;
  ruleId?: number | null;
  /** The subject's assignee now (an order's, a case's; the member a member's checklist is about). */
  subjectAssignee?: string | null;
  /** Who `lead` steps go to, when the caller knows better than the subject's lead (a leaver's team lead). */
  lead?: string | null;
}

/**
 * Runs of checklists: started by hand or by a rule (exactly one per subject and template version, however often the
 * trigger fires: `run_key` is unique), steps ticked by whoever may, each tick on the audit trail.
 */
export class RunService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly deps: AssigneeDeps,
    private readonly now: () => number,
  ) {}

  /** Start a run of the template's current version in the caller's unit; null when the subject already has one. */
  async start(tx: Tx, input: StartRun): Promise<SopRun | null> {
    const m = tx.manager;
    const template = await m.findOneBy(SopTemplate, { id: input.templateId });
    if (!template) throw new NotFoundError('清单模板不存在 (template not found)');
    const version = await m.findOneByOrFail(SopTemplateVersion, { templateId: template.id, version: template.currentVersion });
    const runKey = input.subject ? `${template.id}:${version.version}:${input.subject.type}:${input.subject.id}` : null;
    if (runKey && (await m.existsBy(SopRun, { runKey }))) return null; // the trigger fired again for this subject
    const now = this.now();
    // A concurrent start for the same subject fails on the unique run_key and rolls its unit back; retried, it stops above.
    const inserted = await m.insert(SopRun, {
      runKey,
      templateId: template.id,
      version: version.version,
      templateName: template.name,
      category: template.category,
      subjectType: input.subject?.type ?? null,
      subjectId: input.subject?.id ?? null,
      subjectLabel: input.subject?.label ?? null,
      shopId: input.shopId,
      state: 'running',
      ruleId: input.ruleId ?? null,
      startedBy: input.startedBy,
      startedAt: now,
      completedAt: null,
    });
    const run = await m.findOneByOrFail(SopRun, { id: Number((inserted.identifiers[0] as { id: number }).id) });
    const basis = {
      subjectAssignee: input.subjectAssignee ?? (input.subject?.type === 'member' ? input.subject.id : null),
      leadOf: input.subject?.type === 'member' ? input.subject.id : input.startedBy === 'system' ? (input.subjectAssignee ?? null) : input.startedBy,
    };
    const steps: Partial<SopRunStep>[] = [];
    const deps = input.lead !== undefined ? { leadFor: () => Promise.resolve(input.lead ?? null) } : this.deps;
    for (const [idx, spec] of version.steps.entries()) {
      const { assignee, role } = await resolveAssignee(spec.assignee, basis, deps, m);
      steps.push({
        runId: run.id,
        idx,
        title: spec.title,
        description: spec.description,
        assigneeKind: spec.assignee.kind,
        assignee,
        role,
        evidence: spec.evidence,
        evidenceRequired: spec.evidenceRequired ? 1 : 0,
        dueAt: spec.dueOffsetMinutes === null ? null : now + spec.dueOffsetMinutes * 60_000,
        overdueNotified: 0,
        state: 'todo',
      });
    }
    if (steps.length) await m.insert(SopRunStep, steps);
    await tx.audit({
      action: 'sop.run_started',
      targetType: 'sop_run',
      targetId: String(run.id),
      after: { template: template.name, version: version.version, subject: runKey, rule: input.ruleId ?? null },
    });
    await this.announce(tx, run, steps);
    return run;
  }

  /** Tick, skip or un-tick a step as `actor`; the run completes when no step is left to do. */
  async tick(actor: Actor, runId: number, stepId: number, input: SopStepInput, requestId?: string): Promise<void> {
    await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const m = tx.manager;
      const run = await m.findOneBy(SopRun, { id: runId });
      const step = await m.findOneBy(SopRunStep, { id: stepId, runId });
      if (!run || !step || !can(actor, 'sop:read', { shopId: run.shopId })) throw new NotFoundError('清单步骤不存在 (step not found)');
      if (run.state === 'cancelled') throw new ConflictError('清单已取消 (this checklist was cancelled)', 'run_not_running');
      if (!mayTick(actor, run, step)) throw new ForbiddenError('这一步不归你处理 (this step is not yours to tick)');
      stepState.check(step.state, input.state);
      if (step.state === input.state) return;
      const values = await this.change(m, step, input, actor.userid);
      const moved = await m
        .createQueryBuilder()
        .update(SopRunStep)
        .set(values)
        .where('id = :id AND state = :state', { id: step.id, state: step.state })
        .execute();
      if (moved.affected !== 1) throw new ConflictError('这一步刚被别人处理了，请刷新 (someone else just changed this step)', 'step_changed');
      await tx.audit({
        action: 'sop.step_ticked',
        targetType: 'sop_run',
        targetId: String(run.id),
        before: { step: step.title, state: step.state },
        after: { step: step.title, state: input.state, reason: values.reason ?? null, proof: values.proof ?? null },
      });
      await this.settle(tx, run);
    });
  }

  /** The step's new values for `input`, its evidence and reason checked. */
  private async change(m: Tx['manager'], step: SopRunStep, input: SopStepInput, userid: string): Promise<Partial<SopRunStep>> {
    const at = this.now();
    if (input.state === 'todo') return { state: 'todo', doneBy: null, doneAt: null, reason: null, proof: null };
    if (input.state === 'skipped') {
      const reason = input.reason?.trim();
      if (!reason) throw new ValidationError('跳过需要填写理由 (a reason is required to skip)', { field: 'reason' });
      return { state: 'skipped', doneBy: userid, doneAt: at, reason: reason.slice(0, 500), proof: null };
    }
    const proof = await this.proof(m, step, input.evidence);
    if (step.evidenceRequired && !proof)
      throw new AppError(422, 'evidence_required', `「${step.title}」需要${EVIDENCE_ZH[step.evidence]}才能完成 (evidence is required)`, {
        evidence: step.evidence,
      });
    return { state: 'done', doneBy: userid, doneAt: at, reason: null, proof };
  }

  /** The evidence the step asks for, checked; null when none was given. */
  private async proof(m: Tx['manager'], step: SopRunStep, e: SopEvidence | undefined): Promise<SopEvidence | null> {
    if (!e || step.evidence === 'none') return null;
    if (step.evidence === 'note') return e.note?.trim() ? { note: e.note.trim().slice(0, 2000) } : null;
    if (step.evidence === 'link') {
      if (!e.link?.trim()) return null;
      if (!/^https?:\/\/\S+$/i.test(e.link.trim()) || e.link.length > 1000)
        throw new ValidationError('链接必须以 http:// 或 https:// 开头 (a link must be an http(s) URL)', { field: 'evidence.link' });
      return { link: e.link.trim() };
    }
    if (e.fileId === undefined) return null;
    const file = await m.findOneBy(SopFile, { id: e.fileId });
    if (!file) throw new ValidationError('照片不存在，请重新上传 (unknown file)', { field: 'evidence.fileId' });
    return { fileId: file.id, fileName: file.name, ...(e.note?.trim() ? { note: e.note.trim().slice(0, 2000) } : {}) };
  }

  /** done when no step is left to do, running again when one is put back; checklist.completed once per completion. */
  private async settle(tx: Tx, run: SopRun): Promise<void> {
    const left = await tx.manager.countBy(SopRunStep, { runId: run.id, state: 'todo' });
    const to = left === 0 ? 'done' : 'running';
    if (to === run.state) return;
    runState.check(run.state, to);
    const moved = await tx.manager
      .createQueryBuilder()
      .update(SopRun)
      .set({ state: to, completedAt: to === 'done' ? this.now() : null })
      .where('id = :id AND state = :state', { id: run.id, state: run.state })
      .execute();
    if (moved.affected !== 1 || to !== 'done') return;
    await tx.publish('checklist.completed', {
      run_id: String(run.id),
      template: run.templateName,
      subject: run.subjectLabel ?? '—',
      ...(run.shopId ? { shop_id: run.shopId } : {}),
      started_by: run.startedBy,
      url: `/checklists/${run.id}`,
    });
  }

  /** Each member with steps in a new run hears of them once (checklist.assigned). */
  private async announce(tx: Tx, run: SopRun, steps: Partial<SopRunStep>[]): Promise<void> {
    const byMember = new Map<string, string[]>();
    for (const s of steps) if (s.assignee) byMember.set(s.assignee, [...(byMember.get(s.assignee) ?? []), s.title!]);
    for (const [assignee, titles] of byMember)
      await tx.publish('checklist.assigned', {
        run_id: String(run.id),
        template: run.templateName,
        subject: run.subjectLabel ?? '—',
        ...(run.shopId ? { shop_id: run.shopId } : {}),
        assignee,
        steps: titles.join('；').slice(0, 500),
        url: `/checklists/${run.id}`,
      });
  }

  /**
   * Steps past due, once each: a conditional update of `overdue_notified` decides who tells, so instances ticking at
   * once publish each `checklist.overdue` once. Pages of 200 per unit.
   */
  async overdue(now = this.now()): Promise<number> {
    const due = await this.ds
      .getRepository(SopRunStep)
      .createQueryBuilder('s')
      .where("s.state = 'todo' AND s.overdue_notified = 0 AND s.due_at <= :now", { now })
      .orderBy('s.due_at')
      .limit(200)
      .getMany();
    if (!due.length) return 0;
    let told = 0;
    await this.uow.run({ actor: 'system', requestId: `sop.overdue:${now}` }, async (tx) => {
      const runs = new Map((await tx.manager.findByIds(SopRun, [...new Set(due.map((s) => s.runId))])).map((r) => [r.id, r]));
      for (const s of due) {
        const run = runs.get(s.runId);
        const won = await tx.manager.update(SopRunStep, { id: s.id, overdueNotified: 0, state: 'todo' }, { overdueNotified: 1 });
        if (won.affected !== 1 || !run || run.state !== 'running') continue;
        told++;
        await tx.publish('checklist.overdue', {
          run_id: String(run.id),
          template: run.templateName,
          subject: run.subjectLabel ?? '—',
          ...(run.shopId ? { shop_id: run.shopId } : {}),
          step_id: String(s.id),
          step: s.title,
          due_at: s.dueAt!,
          ...(s.assignee ? { assignee: s.assignee } : {}),
          url: `/checklists/${run.id}`,
        });
      }
    });
    return told;
  }

  /** Steps that follow the subject's assignee (an order claimed, a case assigned) follow it while still to do. */
  async followSubjectAssignee(tx: Tx, type: SopSubjectType, id: string, assignee: string): Promise<void> {
    const runs = await tx.manager.findBy(SopRun, { subjectType: type, subjectId: id, state: 'running' });
    for (const run of runs) await tx.manager.update(SopRunStep, { runId: run.id, assigneeKind: 'subject_assignee', state: 'todo' }, { assignee });
  }
}

const EVIDENCE_ZH = { none: '', note: '备注', photo: '照片', link: '链接' } as const;

/** Whether `actor` may tick the step: its member, a holder of its role in the run's shop, or a manager of checklists. */
export function mayTick(actor: Actor, run: Pick<SopRun, 'shopId'>, step: Pick<SopRunStep, 'assignee' | 'role'>): boolean {
  const shop = { shopId: run.shopId };
  if (!can(actor, 'sop:run', shop)) return false;
  if (can(actor, 'sop:manage', shop)) return true;
  if (step.assignee) return step.assignee === actor.userid;
  if (step.role) return rolesHeldIn(actor, run.shopId).includes(step.role);
  return true;
}
