import { Brackets, In, type DataSource } from 'typeorm';
import {
  can,
  shopsWith,
  type Actor,
  type OrderPerson,
  type SopRunDetail,
  type SopRunListResponse,
  type SopRunState,
  type SopRunStep as StepView,
  type SopRunSummary,
  type SopRunView,
} from '@shopcrew/shared';
import { ForbiddenError, NotFoundError } from '../../errors';
import { mayTick } from './run.service';
import { SopRun, SopRunStep } from './sop.entity';
import { rolesHeldIn } from './tick-rights';

export interface RunListQuery {
  view: SopRunView;
  subject?: string;
  state?: SopRunState;
  cursor?: string;
  limit: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** 清单: my runs (a step for me to do), the team's (sop:manage), one run with its steps. */
export class RunQuery {
  constructor(
    private readonly ds: DataSource,
    private readonly namesOf: (userids: readonly string[]) => Promise<Map<string, string>>,
    private readonly now: () => number,
  ) {}

  async list(actor: Actor, q: RunListQuery): Promise<SopRunListResponse> {
    if (q.view === 'team' && !can(actor, 'sop:manage')) throw new ForbiddenError('只有清单管理员可以查看团队清单 (sop:manage is required)');
    const qb = this.ds.getRepository(SopRun).createQueryBuilder('r');
    const scope = shopsWith(actor, q.view === 'team' ? 'sop:manage' : 'sop:read');
    if (scope !== 'all') qb.andWhere(scope.length ? '(r.shop_id IS NULL OR r.shop_id IN (:...shops))' : 'r.shop_id IS NULL', { shops: scope });
    if (q.view === 'mine') {
      const roles = rolesHeldIn(actor, null);
      qb.andWhere(
        new Brackets((w) => {
          w.where("r.id IN (SELECT s.run_id FROM sop_run_steps s WHERE s.assignee = :me AND s.state = 'todo')", { me: actor.userid });
          if (roles.length)
            w.orWhere("r.id IN (SELECT s2.run_id FROM sop_run_steps s2 WHERE s2.assignee IS NULL AND s2.role IN (:...roles) AND s2.state = 'todo')", { roles });
          w.orWhere('r.started_by = :me', { me: actor.userid });
        }),
      );
    }
    if (q.subject) {
      const [type, ...rest] = q.subject.split(':');
      qb.andWhere('r.subject_type = :type AND r.subject_id = :sid', { type, sid: rest.join(':') });
    }
    if (q.state) qb.andWhere('r.state = :state', { state: q.state });
    if (q.cursor && /^\d+$/.test(q.cursor)) qb.andWhere('r.id < :cursor', { cursor: Number(q.cursor) });
    const rows = await qb
      .orderBy('r.id', 'DESC')
      .take(q.limit + 1)
      .getMany();
    const page = rows.slice(0, q.limit);
    const steps = await this.stepsOf(page.map((r) => r.id));
    const names = await this.names(page, [...steps.values()].flat());
    return {
      items: page.map((r) => this.summary(r, steps.get(r.id) ?? [], names)),
      nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null,
    };
  }

  async detail(actor: Actor, id: number): Promise<SopRunDetail> {
    const run = await this.ds.getRepository(SopRun).findOneBy({ id });
    if (!run || !can(actor, 'sop:read', { shopId: run.shopId })) throw new NotFoundError('清单不存在 (checklist not found)');
    const steps = (await this.stepsOf([id])).get(id) ?? [];
    const names = await this.names([run], steps);
    return { ...this.summary(run, steps, names), steps: steps.map((s) => this.step(actor, run, s, names)) };
  }

  private summary(r: SopRun, steps: SopRunStep[], names: Map<string, string>): SopRunSummary {
    const next = steps.find((s) => s.state === 'todo');
    const now = this.now();
    return {
      id: r.id,
      templateId: r.templateId,
      templateName: r.templateName,
      version: r.version,
      category: r.category,
      subject: r.subjectType && r.subjectId ? { type: r.subjectType, id: r.subjectId, label: r.subjectLabel ?? r.subjectId } : null,
      shopId: r.shopId,
      state: r.state,
      progress: { done: steps.filter((s) => s.state !== 'todo').length, total: steps.length },
      next: next ? { id: next.id, title: next.title, assignee: person(next.assignee, names), role: next.role, dueAt: iso(next.dueAt) } : null,
      overdueSteps: steps.filter((s) => s.state === 'todo' && s.dueAt !== null && s.dueAt <= now).length,
      startedBy: r.startedBy === 'system' ? null : person(r.startedBy, names),
      startedAt: iso(r.startedAt)!,
      completedAt: iso(r.completedAt),
    };
  }

  private step(actor: Actor, run: SopRun, s: SopRunStep, names: Map<string, string>): StepView {
    return {
      id: s.id,
      index: s.idx,
      title: s.title,
      description: s.description,
      assignee: person(s.assignee, names),
      role: s.role,
      evidence: s.evidence,
      evidenceRequired: s.evidenceRequired === 1,
      dueAt: iso(s.dueAt),
      overdue: s.state === 'todo' && s.dueAt !== null && s.dueAt <= this.now(),
      state: s.state,
      doneBy: person(s.doneBy, names),
      doneAt: iso(s.doneAt),
      reason: s.reason,
      proof: s.proof,
      canTick: run.state !== 'cancelled' && mayTick(actor, run, s),
    };
  }

  private async stepsOf(runIds: number[]): Promise<Map<number, SopRunStep[]>> {
    const out = new Map<number, SopRunStep[]>();
    if (!runIds.length) return out;
    const rows = await this.ds.getRepository(SopRunStep).find({ where: { runId: In(runIds) }, order: { runId: 'ASC', idx: 'ASC' } });
    for (const s of rows) out.set(s.runId, [...(out.get(s.runId) ?? []), s]);
    return out;
  }

  private names(runs: SopRun[], steps: SopRunStep[]): Promise<Map<string, string>> {
    const ids = new Set<string>();
    for (const r of runs) ids.add(r.startedBy);
    for (const s of steps) for (const u of [s.assignee, s.doneBy]) if (u) ids.add(u);
    return this.namesOf([...ids]);
  }
}

function person(userid: string | null, names: Map<string, string>): OrderPerson | null {
  return userid ? { userid, name: names.get(userid) ?? userid } : null;
}
