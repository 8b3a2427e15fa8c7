import type { DataSource } from 'typeorm';
import { can, CASE_STATE_ZH, type Actor, type ApprovalInput, type CaseDetail, type CaseState, type NewCaseInput } from '@shopcrew/shared';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import { MarketplaceError, ShopNeedsReauthorization } from '../../marketplace/types';
import type { Tx, UnitOfWork } from '../../platform/tx';
import type { ShopService } from '../shops/shop.service';
import { publishCaseAssigned } from './case-assigner';
import { Case, CaseHistory } from './case.entity';
import { caseState, DONE, NEEDS_REASON } from './case-state';
import { caseTitle } from './case-text';
import type { CaseQuery } from './case-query';
import type { CaseSync } from './case-sync.service';
import type { PolicyService } from './policy.service';
import type { SlaService } from './sla.service';

export interface CaseDeps {
  namesOf(userids: readonly string[], manager?: Tx['manager']): Promise<Map<string, string>>;
  /** Active members who hold `permission` in the shop. */
  membersWithPermission(permission: 'aftersales:handle', shopId: string): Promise<string[]>;
}

/**
 * The team's work on a case: open one by hand, move it through its states (409 illegal_transition otherwise), claim
 * and assign it (compare-and-set, like orders), notes, and the refund approval — which acts on the marketplace and
 * is decided once, whoever clicks or taps first.
 */
export class CaseService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly shops: ShopService,
    private readonly policies: PolicyService,
    private readonly sla: SlaService,
    private readonly sync: CaseSync,
    private readonly query: CaseQuery,
    private readonly deps: CaseDeps,
    private readonly now: () => number = Date.now,
  ) {}

  async create(actor: Actor, input: NewCaseInput, requestId?: string): Promise<CaseDetail> {
    if (!can(actor, 'aftersales:handle', { shopId: input.shopId })) throw new ForbiddenError('无权在该店铺新建售后工单 (no after-sales access to this shop)');
    const shop = await this.shops.get(input.shopId).catch(() => null);
    if (!shop) throw new ValidationError('店铺不存在 (unknown shop)', { field: 'shopId' });
    const policy = await this.policies.get(shop.shopId, shop.currency);
    const id = await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const now = this.now();
      const result = await tx.manager.insert(Case, {
        shopId: shop.shopId,
        orderSn: input.orderSn ?? null,
        returnSn: null,
        type: input.type,
        state: 'new',
        open: 1,
        platformStatus: null,
        reason: null,
        title: input.title || caseTitle(input.type, null),
        description: input.description ?? null,
        refund: null,
        currency: shop.currency,
        assignee: null,
        dueAt: 0,
        breached: 0,
        approvalStatus: null,
        approvalRule: null,
        approvalBy: null,
        approvalAt: null,
        approvalReason: null,
        approvalError: null,
        marketUpdatedAt: 0,
        firstResponseAt: null,
        createdBy: actor.userid,
        createdAt: now,
        updatedAt: now,
      });
      const caseId = Number(result.identifiers[0]!['id']);
      const c = await tx.manager.findOneByOrFail(Case, { id: caseId });
      await this.history(tx, c.id, 'created', actor.userid, null, 'new', `${await this.name(tx, actor.userid)} 新建了工单：${c.title}`);
      await this.sla.start(tx, c, policy, {}, now);
      await tx.audit({ action: 'aftersales.case_created', targetType: 'case', targetId: String(c.id), after: { ...input } });
      await this.sync.announce(tx, await tx.manager.findOneByOrFail(Case, { id: c.id }));
      return c.id;
    });
    return this.query.detail(actor, id);
  }

  async transition(actor: Actor, id: number, to: CaseState, reason: string | undefined, requestId?: string): Promise<CaseDetail> {
    const c = await this.handleable(actor, id);
    await this.uow.run({ actor: actor.userid, requestId }, async (tx) => this.transitionIn(tx, c, to, reason, actor.userid, await this.name(tx, actor.userid)));
    return this.query.detail(actor, id);
  }

  /** Moves a case in the caller's unit (the H5, or an automation rule as `by` null): same checks, history and events. */
  async transitionIn(tx: Tx, c: Case, to: CaseState, reason: string | undefined, by: string | null, byName: string): Promise<void> {
    const id = c.id;
    if (!caseState.can(c.state, to) || c.state === to)
      throw new AppError(409, 'illegal_transition', `不能从「${CASE_STATE_ZH[c.state]}」改为「${CASE_STATE_ZH[to]}」 (${c.state} → ${to} is not allowed)`, {
        from: c.state,
        to,
      });
    if (NEEDS_REASON.includes(to) && !reason?.trim())
      throw new ValidationError(`改为「${CASE_STATE_ZH[to]}」需要填写原因 (a reason is required)`, { field: 'reason' });
    const now = this.now();
    const moved = await tx.manager
      .createQueryBuilder()
      .update(Case)
      .set({ state: to, open: DONE.includes(to) ? 0 : 1, updatedAt: now })
      .where('id = :id AND state = :from', { id, from: c.state })
      .execute();
    if (moved.affected !== 1) throw new ConflictError('工单刚被他人改动，请刷新 (the case just changed; reload)', 'concurrent_change');
    await this.history(
      tx,
      id,
      'transition',
      by,
      c.state,
      to,
      `${byName}：${CASE_STATE_ZH[c.state]} → ${CASE_STATE_ZH[to]}${reason?.trim() ? `（${reason.trim()}）` : ''}`,
    );
    if (c.state === 'new') await this.sla.responded(tx, id);
    await this.sla.onState(tx, { ...c, state: to }, now);
    await tx.audit({
      action: 'aftersales.case_transition',
      targetType: 'case',
      targetId: String(id),
      before: { state: c.state },
      after: { state: to, reason: reason ?? null },
    });
    await tx.publish('case.state_changed', {
      case_id: String(id),
      shop_id: c.shopId,
      order_id: c.orderSn ?? '—',
      from: CASE_STATE_ZH[c.state],
      to: CASE_STATE_ZH[to],
      url: `/cases/${id}`,
    });
  }

  async claim(actor: Actor, id: number, requestId?: string): Promise<CaseDetail> {
    const c = await this.handleable(actor, id);
    await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const won = await tx.manager
        .createQueryBuilder()
        .update(Case)
        .set({ assignee: actor.userid, updatedAt: this.now() })
        .where('id = :id AND assignee IS NULL', { id })
        .execute();
      if (won.affected === 1) {
        const name = await this.name(tx, actor.userid);
        await this.history(tx, id, 'claimed', actor.userid, null, null, `${name} 认领了工单`);
        return publishCaseAssigned(tx, c, actor.userid, name, name);
      }
      const now = await tx.manager.findOneByOrFail(Case, { id });
      if (now.assignee === actor.userid) return;
      const name = await this.name(tx, now.assignee!);
      throw new AppError(409, 'already_claimed', `已被 ${name} 认领`, { assignee: { userid: now.assignee, name } });
    });
    return this.query.detail(actor, id);
  }

  async assign(actor: Actor, id: number, userid: string, requestId?: string): Promise<CaseDetail> {
    const c = await this.readable(actor, id);
    if (!can(actor, 'aftersales:approve_refund', { shopId: c.shopId }) && !can(actor, 'orders:assign', { shopId: c.shopId }))
      throw new ForbiddenError('只有组长可以分配工单 (only leads assign cases)');
    await this.uow.run({ actor: actor.userid, requestId }, async (tx) => this.assignIn(tx, c, userid, actor.userid, await this.name(tx, actor.userid)));
    return this.query.detail(actor, id);
  }

  /** Gives a case to a member who may handle its shop's cases, in the caller's unit (compare-and-set on the holder read). */
  async assignIn(tx: Tx, c: Case, userid: string, by: string | null, byName: string): Promise<void> {
    if (!(await this.deps.membersWithPermission('aftersales:handle', c.shopId)).includes(userid))
      throw new ValidationError(`成员 ${userid} 不存在、已离职或无权处理该店铺的售后 (member cannot handle cases of this shop)`, { field: 'userid' });
    const moved = await tx.manager
      .createQueryBuilder()
      .update(Case)
      .set({ assignee: userid, updatedAt: this.now() })
      .where(c.assignee ? 'id = :id AND assignee = :prev' : 'id = :id AND assignee IS NULL', { id: c.id, prev: c.assignee })
      .execute();
    if (moved.affected !== 1) throw new ConflictError('工单刚被他人改动，请刷新 (the case just changed; reload)', 'concurrent_change');
    const to = await this.name(tx, userid);
    await this.history(tx, c.id, 'assigned', by, null, null, `${byName} 把工单分配给 ${to}`);
    await publishCaseAssigned(tx, c, userid, to, byName);
  }

  async note(actor: Actor, id: number, text: string, requestId?: string): Promise<CaseDetail> {
    const c = await this.handleable(actor, id);
    await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      await this.history(tx, id, 'note', actor.userid, null, null, text);
      if (c.assignee === actor.userid) await this.sla.responded(tx, id);
    });
    return this.query.detail(actor, id);
  }

  /** The H5's 同意 / 驳回: the same decision as the card's, in a unit of its own. */
  async decideFromApi(actor: Actor, id: number, input: ApprovalInput, requestId?: string): Promise<CaseDetail> {
    const c = await this.readable(actor, id);
    // Below the threshold there is nothing to approve: whoever handles the case acts directly.
    const permission = c.approvalStatus === null ? 'aftersales:handle' : 'aftersales:approve_refund';
    if (!can(actor, permission, { shopId: c.shopId })) throw new ForbiddenError('无权审批该店铺的退款 (you may not approve refunds of this shop)');
    if (c.approvalStatus === null && !c.returnSn) throw new ConflictError('该工单没有待处理的退款 (this case has no refund to decide)', 'nothing_to_decide');
    if (input.decision === 'reject' && !input.reason?.trim())
      throw new ValidationError('驳回需要填写理由 (a reason is required to reject)', { field: 'reason' });
    const outcome = await this.uow.run({ actor: actor.userid, requestId }, (tx) => this.decide(tx, id, actor.userid, input));
    if (outcome.kind === 'decided_before') throw new AppError(409, 'already_decided', outcome.text);
    return this.query.detail(actor, id);
  }

  /**
   * Decide a pending approval, once: the compare-and-set on `approval_status` takes the decision (a second approver
   * finds it taken and is told who decided). Approving acts on the marketplace inside the same unit, so the card and
   * the case say what Shopee answered; if Shopee refuses, the approval is `failed` with its error and may be decided again.
   */
  async decide(tx: Tx, id: number, userid: string, input: ApprovalInput): Promise<{ kind: 'decided' | 'decided_before' | 'failed'; text: string }> {
    const now = this.now();
    const taken = await tx.manager
      .createQueryBuilder()
      .update(Case)
      .set({
        approvalStatus: input.decision === 'approve' ? 'approved' : 'rejected',
        approvalBy: userid,
        approvalAt: now,
        approvalReason: input.reason?.trim() || null,
        approvalError: null,
        updatedAt: now,
      })
      .where("id = :id AND (approval_status IS NULL OR approval_status IN ('pending', 'failed'))", { id })
      .execute();
    const c = await tx.manager.findOneByOrFail(Case, { id });
    const name = await this.name(tx, userid);
    if (taken.affected !== 1) {
      const by = c.approvalBy ? await this.name(tx, c.approvalBy) : '他人';
      return { kind: 'decided_before', text: c.approvalStatus ? `已由 ${by} ${c.approvalStatus === 'rejected' ? '驳回' : '处理'}` : '该工单无需审批' };
    }
    let text = input.decision === 'approve' ? `已由 ${name} 同意` : `已由 ${name} 驳回`;
    let kind: 'decided' | 'failed' = 'decided';
    if (input.decision === 'approve' && c.returnSn) {
      try {
        // Read the return first (Shopee counts calls in the wrong status against the app's success rate): a buyer's
        // proposal waiting for the seller's answer is accepted (accept_offer), otherwise the refund is confirmed.
        const api = this.shops.api(c.shopId);
        const offerWaiting = (await api.returnDetail(c.returnSn)).negotiationStatus === 'PENDING_RESPOND';
        await api.acceptReturn(c.returnSn, offerWaiting);
        text += offerWaiting ? '，已接受买家方案' : '，已提交 Shopee 退款';
      } catch (err) {
        const message = err instanceof ShopNeedsReauthorization ? '店铺授权已失效' : err instanceof MarketplaceError ? `${err.code}` : String(err);
        await tx.manager.update(Case, { id }, { approvalStatus: 'failed', approvalError: message.slice(0, 500) });
        text = `Shopee 返回错误：${message}`.slice(0, 60);
        kind = 'failed';
      }
    }
    // Rejecting is ShopCrew's decision only: Shopee approves a request the seller leaves unanswered past its deadline,
    // so the history says what still has to happen there (https://open.shopee.com/developer-guide/227).
    const followUp = kind === 'decided' && input.decision === 'reject' && c.returnSn ? '；如不同意退款，请在截止前于 Shopee 卖家中心提出争议' : '';
    await this.history(tx, id, 'approval', userid, null, null, `${text}${input.reason?.trim() ? `（${input.reason.trim()}）` : ''}${followUp}`);
    await tx.audit({
      action: 'aftersales.approval',
      targetType: 'case',
      targetId: String(id),
      after: { decision: input.decision, reason: input.reason ?? null, result: text },
    });
    await tx.publish('case.approval_decided', {
      case_id: String(id),
      shop_id: c.shopId,
      order_id: c.orderSn ?? '—',
      decision: input.decision === 'approve' ? '同意' : '驳回',
      approver_name: name,
      result: text,
      ...(c.assignee ? { assignee: c.assignee } : {}),
      url: `/cases/${id}`,
    });
    if (kind === 'decided' && input.decision === 'approve' && c.returnSn && caseState.can(c.state, 'waiting_platform') && c.state !== 'waiting_platform') {
      await tx.manager.update(Case, { id }, { state: 'waiting_platform', updatedAt: now });
      await this.history(
        tx,
        id,
        'transition',
        null,
        c.state,
        'waiting_platform',
        `${CASE_STATE_ZH[c.state]} → ${CASE_STATE_ZH.waiting_platform}（退款已提交，等待平台）`,
      );
      await this.sla.onState(tx, { ...c, state: 'waiting_platform' }, now);
    }
    return { kind, text };
  }

  async shopOf(id: number, tx: Tx): Promise<string | null> {
    return (await tx.manager.findOneBy(Case, { id }))?.shopId ?? null;
  }

  private async readable(actor: Actor, id: number): Promise<Case> {
    const c = await this.ds.getRepository(Case).findOneBy({ id });
    if (!c) throw new NotFoundError('工单不存在 (case not found)');
    if (!can(actor, 'aftersales:read', { shopId: c.shopId })) throw new ForbiddenError('无权查看该店铺的售后工单 (no access to this shop)');
    return c;
  }

  private async handleable(actor: Actor, id: number): Promise<Case> {
    const c = await this.readable(actor, id);
    if (!can(actor, 'aftersales:handle', { shopId: c.shopId })) throw new ForbiddenError('无权处理该店铺的售后工单 (you may not handle cases of this shop)');
    return c;
  }

  private async history(
    tx: Tx,
    caseId: number,
    kind: CaseHistory['kind'],
    actor: string | null,
    from: CaseState | null,
    to: CaseState | null,
    text: string,
  ): Promise<void> {
    await tx.manager.insert(CaseHistory, { caseId, at: this.now(), kind, actor, from, to, text: text.slice(0, 2100) });
  }

  private async name(tx: Tx, userid: string): Promise<string> {
    return (await this.deps.namesOf([userid], tx.manager)).get(userid) ?? userid;
  }
}
