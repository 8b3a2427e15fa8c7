import type { DataSource } from 'typeorm';
import { can, shopsWith, type Actor, type CaseDetail, type CaseListResponse, type CaseSummary, type CaseView } from '@shopcrew/shared';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import { Case, CaseHistory } from './case.entity';
import { caseState } from './case-state';
import type { SlaService } from './sla.service';
import { NO_DEADLINE } from './sla.service';

export interface CaseListQuery {
  shop?: string;
  state?: string;
  view: CaseView;
  approval?: 'pending';
  cursor?: string;
  limit: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Reads: the views (most urgent first, keyset-paginated, within the shops the member's roles cover) and one case. */
export class CaseQuery {
  constructor(
    private readonly ds: DataSource,
    private readonly sla: SlaService,
    private readonly namesOf: (userids: readonly string[]) => Promise<Map<string, string>>,
    private readonly dueSoonMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  async list(actor: Actor, q: CaseListQuery): Promise<CaseListResponse> {
    const qb = this.filtered(actor, q);
    if (!qb) return { items: [], nextCursor: null };
    // Most urgent first: open before done, then the earliest deadline; the cursor is (open, due_at, id).
    if (q.cursor) {
      const [open, due, id] = decodeCursor(q.cursor);
      qb.andWhere('(c.open < :o OR (c.open = :o AND (c.due_at > :d OR (c.due_at = :d AND c.id > :i))))', { o: open, d: due, i: id });
    }
    const rows = await qb
      .orderBy('c.open', 'DESC')
      .addOrderBy('c.due_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(q.limit + 1)
      .getMany();
    const page = rows.slice(0, q.limit);
    const names = await this.namesOf(page.map((c) => c.assignee ?? '').filter(Boolean));
    const last = page[page.length - 1];
    return { items: page.map((c) => this.summary(c, names)), nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null };
  }

  /** Open cases each of `userids` holds (for the assign picker). */
  async openCounts(userids: string[]): Promise<Map<string, number>> {
    if (!userids.length) return new Map();
    const rows = await this.ds
      .getRepository(Case)
      .createQueryBuilder('c')
      .select('c.assignee', 'assignee')
      .addSelect('COUNT(*)', 'n')
      .where('c.assignee IN (:...who) AND c.open = 1', { who: userids })
      .groupBy('c.assignee')
      .getRawMany<{ assignee: string; n: string | number }>();
    return new Map(rows.map((r) => [r.assignee, Number(r.n)]));
  }

  /** How many cases a view holds for the member (home counters). */
  async count(actor: Actor, view: CaseView): Promise<number> {
    return (await this.filtered(actor, { view, limit: 1 })?.getCount()) ?? 0;
  }

  /** The view's rows within the member's shops, or null when the member sees no shop at all. */
  private filtered(actor: Actor, q: CaseListQuery) {
    const scope = shopsWith(actor, 'aftersales:read');
    if (q.shop && !can(actor, 'aftersales:read', { shopId: q.shop })) throw new ForbiddenError('无权查看该店铺的售后工单 (no access to this shop)');
    if (scope !== 'all' && !scope.length) return null;
    const qb = this.ds.getRepository(Case).createQueryBuilder('c');
    const view = q.view;
    if (view === 'mine') qb.where('c.assignee = :me AND c.open = 1', { me: actor.userid });
    else if (view === 'unassigned') qb.where('c.assignee IS NULL AND c.open = 1');
    else if (view === 'due_soon') qb.where('c.open = 1 AND c.breached = 0 AND c.due_at <= :soon', { soon: this.now() + this.dueSoonMs() });
    else if (view === 'breached') qb.where('c.open = 1 AND c.breached = 1');
    else qb.where('1 = 1');
    if (q.shop) qb.andWhere('c.shop_id = :shop', { shop: q.shop });
    else if (scope !== 'all') qb.andWhere('c.shop_id IN (:...scope)', { scope });
    if (q.state) qb.andWhere('c.state = :state', { state: q.state });
    if (q.approval === 'pending') qb.andWhere("c.approval_status = 'pending'");
    return qb;
  }

  async detail(actor: Actor, id: number): Promise<CaseDetail> {
    const c = await this.ds.getRepository(Case).findOneBy({ id });
    if (!c) throw new NotFoundError('工单不存在 (case not found)');
    if (!can(actor, 'aftersales:read', { shopId: c.shopId })) throw new ForbiddenError('无权查看该店铺的售后工单 (no access to this shop)');
    const history = await this.ds.getRepository(CaseHistory).find({ where: { caseId: id }, order: { id: 'DESC' } });
    const names = await this.namesOf([c.assignee, c.approvalBy, ...history.map((h) => h.actor)].filter((u): u is string => Boolean(u)));
    const person = (u: string | null) => (u ? { userid: u, name: names.get(u) ?? u } : null);
    const handle = can(actor, 'aftersales:handle', { shopId: c.shopId });
    const approver = can(actor, 'aftersales:approve_refund', { shopId: c.shopId });
    return {
      ...this.summary(c, names),
      title: c.title,
      description: c.description,
      history: history.map((h) => ({ at: iso(h.at)!, kind: h.kind, actor: person(h.actor), from: h.from, to: h.to, text: h.text })),
      deadlines: await this.sla.views(id, this.now()),
      approval: c.approvalStatus
        ? {
            status: c.approvalStatus,
            rule: c.approvalRule ?? '',
            decidedBy: person(c.approvalBy),
            decidedAt: iso(c.approvalAt),
            reason: c.approvalReason,
            error: c.approvalError,
          }
        : null,
      can: {
        claim: handle && !c.assignee && Boolean(c.open),
        assign: (approver || can(actor, 'orders:assign', { shopId: c.shopId })) && Boolean(c.open),
        transition: handle ? caseState.next(c.state).filter((s) => s !== c.state) : [],
        decide: (c.approvalStatus === 'pending' || c.approvalStatus === 'failed') && approver,
        note: handle,
      },
    };
  }

  summary(c: Case, names: Map<string, string>): CaseSummary {
    return {
      id: c.id,
      shopId: c.shopId,
      orderSn: c.orderSn,
      returnSn: c.returnSn,
      type: c.type,
      state: c.state,
      platformStatus: c.platformStatus,
      reason: c.reason,
      refund: c.refund === null ? null : { amount: Number(c.refund), currency: c.currency },
      assignee: c.assignee ? { userid: c.assignee, name: names.get(c.assignee) ?? c.assignee } : null,
      dueAt: c.dueAt >= NO_DEADLINE || !c.open ? null : iso(c.dueAt),
      breached: Boolean(c.breached),
      approvalPending: c.approvalStatus === 'pending',
      updateTime: iso(c.updatedAt)!,
      tags: c.tags ?? [],
    };
  }
}

const encodeCursor = (c: Case): string => Buffer.from(`${c.open}:${c.dueAt}:${c.id}`).toString('base64url');
function decodeCursor(cursor: string): [number, number, number] {
  const parts = Buffer.from(cursor, 'base64url').toString().split(':').map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isSafeInteger(n))) throw new ValidationError('cursor 无效 (invalid cursor)', { field: 'cursor' });
  return parts as [number, number, number];
}
