import type { Actor } from '@shopcrew/shared';
import { can } from '@shopcrew/shared';
import { ForbiddenError, NotFoundError } from '../../errors';
import type { UnitOfWork } from '../../platform/tx';
import type { RunService, RunSubject } from './run.service';
import { SopRun } from './sop.entity';

/** What a hand-started run's subject is: its label, its shop and its assignee, from the module that owns it. */
export interface SubjectLookup {
  /** As `actor` may see them (their module's own read checks). */
  order(actor: Actor, orderSn: string): Promise<{ shopId: string; assignee: string | null } | null>;
  case(actor: Actor, id: number): Promise<{ shopId: string; assignee: string | null; title: string } | null>;
  member(userid: string): Promise<{ name: string } | null>;
}

/** Runs started by hand (POST /api/sop/runs): the subject checked and labelled, the run in a unit of its own. */
export class SubjectResolver {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly runs: RunService,
    private readonly lookup: SubjectLookup,
  ) {}

  async startByHand(actor: Actor, templateId: number, subject: string | null, requestId?: string): Promise<number> {
    const resolved = subject ? await this.resolve(actor, subject) : { subject: null, shopId: null, assignee: null };
    if (!can(actor, 'sop:run', { shopId: resolved.shopId })) throw new ForbiddenError('无权在该店铺发起清单 (no access to this shop)');
    return this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const run = await this.runs.start(tx, {
        templateId,
        subject: resolved.subject,
        shopId: resolved.shopId,
        startedBy: actor.userid,
        subjectAssignee: resolved.assignee,
      });
      if (run) return run.id;
      // Already running on this subject (one run per subject and version): answer that one.
      const existing = await tx.manager.findOneByOrFail(SopRun, { subjectType: resolved.subject!.type, subjectId: resolved.subject!.id, templateId });
      return existing.id;
    });
  }

  private async resolve(actor: Actor, raw: string): Promise<{ subject: RunSubject; shopId: string | null; assignee: string | null }> {
    const [type, ...rest] = raw.split(':');
    const id = rest.join(':');
    if (type === 'order') {
      const o = await this.lookup.order(actor, id);
      if (!o) throw new NotFoundError(`订单 ${id} 不存在 (order not found)`);
      return { subject: { type, id, label: `订单 ${id}` }, shopId: o.shopId, assignee: o.assignee };
    }
    if (type === 'case') {
      const c = /^\d+$/.test(id) ? await this.lookup.case(actor, Number(id)) : null;
      if (!c) throw new NotFoundError(`售后工单 ${id} 不存在 (case not found)`);
      return { subject: { type, id, label: `售后 #${id} ${c.title}`.slice(0, 191) }, shopId: c.shopId, assignee: c.assignee };
    }
    const m = await this.lookup.member(id);
    if (!m) throw new NotFoundError(`成员 ${id} 不存在 (member not found)`);
    return { subject: { type: 'member', id, label: `成员 ${m.name}` }, shopId: null, assignee: id };
  }
}
