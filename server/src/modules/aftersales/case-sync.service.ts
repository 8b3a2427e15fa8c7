import { CASE_STATE_ZH } from '@shopcrew/shared';
import type { Logger } from '../../lib/logger';
import type { MarketReturn } from '../../marketplace/types';
import type { Tx, UnitOfWork } from '../../platform/tx';
import { Case, CaseHistory } from './case.entity';
import { caseState, stateForPlatform } from './case-state';
import { approvalRule, caseTitle, formatRefund, REASON_ZH, TYPE_ZH } from './case-text';
import type { PolicyService } from './policy.service';
import type { SlaService } from './sla.service';
import type { CaseAssigner } from './case-assigner';

export type ReturnOutcome = 'created' | 'updated' | 'stale';

/**
 * Returns from the marketplace as cases. A push or the sweep re-reads a return and applies it when its update_time is
 * newer; a new return opens a case (with its SLA clocks, the platform's deadlines, and — at or above the shop's
 * threshold — a pending approval and its card); a platform status change moves the case where it must.
 */
export class CaseSync {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly policies: PolicyService,
    private readonly sla: SlaService,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly assigner: CaseAssigner | null = null,
  ) {}

  async apply(m: MarketReturn): Promise<ReturnOutcome> {
    return this.uow.run({ actor: 'shopee' }, async (tx) => {
      const existing = await tx.manager.findOneBy(Case, { returnSn: m.returnSn });
      return existing ? this.update(tx, existing, m) : this.open(tx, m);
    });
  }

  private async open(tx: Tx, m: MarketReturn): Promise<ReturnOutcome> {
    const policy = await this.policies.get(m.shopId, m.currency);
    const type = m.solution === 'refund_only' ? 'refund_only' : 'return_refund';
    const rule = approvalRule(policy, m.refund, m.reason);
    const now = this.now();
    const row: Omit<Case, 'id'> = {
      shopId: m.shopId,
      tags: [],
      orderSn: m.orderSn,
      returnSn: m.returnSn,
      type,
      state: 'new',
      open: 1,
      platformStatus: m.status,
      reason: m.reason,
      title: caseTitle(type, m.reason),
      description: m.textReason,
      refund: String(m.refund),
      currency: m.currency,
      assignee: null,
      dueAt: 0,
      breached: 0,
      approvalStatus: rule ? 'pending' : null,
      approvalRule: rule,
      approvalBy: null,
      approvalAt: null,
      approvalReason: null,
      approvalError: null,
      marketUpdatedAt: m.updateTime,
      firstResponseAt: null,
      createdBy: 'shopee',
      createdAt: now,
      updatedAt: now,
    };
    // A concurrent first apply of the same return fails on the unique return_sn and rolls back; the inbox retries it.
    await tx.manager.insert(Case, row);
    const c = await tx.manager.findOneByOrFail(Case, { returnSn: m.returnSn });
    await tx.manager.insert(CaseHistory, {
      caseId: c.id,
      at: now,
      kind: 'created',
      actor: null,
      from: null,
      to: 'new',
      text: `买家申请${TYPE_ZH[type]}（${m.status}）`,
    });
    await this.sla.start(tx, c, policy, m.deadlines, now);
    await this.assigner?.autoAssign(tx, c, now);
    const fresh = await tx.manager.findOneByOrFail(Case, { id: c.id });
    await this.announce(tx, fresh);
    if (m.status === 'ACCEPTED') await this.refunded(tx, fresh, m);
    return 'created';
  }

  /** case.opened, and the approval card when one is needed. */
  async announce(tx: Tx, c: Case): Promise<void> {
    const issue = `${TYPE_ZH[c.type]}${c.reason ? ` · ${REASON_ZH[c.reason] ?? c.reason}` : ''}`;
    const common = { case_id: String(c.id), shop_id: c.shopId, order_id: c.orderSn ?? '—', issue, due_date: c.dueAt, url: `/cases/${c.id}` };
    await tx.publish('case.opened', {
      ...common,
      status: CASE_STATE_ZH[c.state],
      operator: c.assignee ?? '未分配',
      case_type: c.type,
      ...(c.assignee ? { assignee: c.assignee } : {}),
    });
    if (c.approvalStatus === 'pending')
      await tx.publish('case.approval_requested', {
        ...common,
        status: '待审批',
        operator: c.assignee ?? '未分配',
        amount: formatRefund(c),
        reason: c.reason ? (REASON_ZH[c.reason] ?? c.reason) : '—',
      });
  }

  private async update(tx: Tx, c: Case, m: MarketReturn): Promise<ReturnOutcome> {
    if (m.updateTime <= c.marketUpdatedAt) return 'stale';
    const moved = await tx.manager
      .createQueryBuilder()
      .update(Case)
      .set({ platformStatus: m.status, refund: String(m.refund), marketUpdatedAt: m.updateTime, updatedAt: this.now() })
      .where('id = :id AND market_updated_at < :t', { id: c.id, t: m.updateTime })
      .execute();
    if (!moved.affected) return 'stale';
    const policy = await this.policies.get(c.shopId, c.currency);
    await this.sla.platformDeadlines(tx, c.id, m.deadlines, policy.dueSoonMinutes);
    if (m.status === 'ACCEPTED' && c.platformStatus !== 'ACCEPTED') await this.refunded(tx, c, m);
    if (m.status !== c.platformStatus) {
      await tx.manager.insert(CaseHistory, {
        caseId: c.id,
        at: this.now(),
        kind: 'platform',
        actor: null,
        from: null,
        to: null,
        text: `平台状态 ${c.platformStatus ?? '—'} → ${m.status}`,
      });
      const to = stateForPlatform(m.status);
      if (to && to !== c.state && caseState.can(c.state, to)) await this.move(tx, c, to, `平台：${m.status}`);
      else if (to && to !== c.state) this.logger.info({ caseId: c.id, from: c.state, platform: m.status }, 'platform status leaves the case state as it is');
    }
    return 'updated';
  }

  /** return.refunded, once: the platform status turned ACCEPTED (the refund went to the buyer) at the return's update time. */
  private async refunded(tx: Tx, c: Case, m: MarketReturn): Promise<void> {
    await tx.publish('return.refunded', {
      case_id: String(c.id),
      shop_id: c.shopId,
      order_id: c.orderSn ?? '—',
      amount: m.refund,
      currency: m.currency || c.currency,
      at: m.updateTime,
    });
  }

  /** A move by the platform (actor null on the history). */
  private async move(tx: Tx, c: Case, to: Case['state'], reason: string): Promise<void> {
    const now = this.now();
    await tx.manager.update(Case, { id: c.id }, { state: to, open: to === 'resolved' || to === 'closed' ? 0 : 1, updatedAt: now });
    await tx.manager.insert(CaseHistory, {
      caseId: c.id,
      at: now,
      kind: 'transition',
      actor: null,
      from: c.state,
      to,
      text: `${CASE_STATE_ZH[c.state]} → ${CASE_STATE_ZH[to]}（${reason}）`,
    });
    await this.sla.onState(tx, { ...c, state: to }, now);
    await tx.publish('case.state_changed', {
      case_id: String(c.id),
      shop_id: c.shopId,
      order_id: c.orderSn ?? '—',
      from: CASE_STATE_ZH[c.state],
      to: CASE_STATE_ZH[to],
      url: `/cases/${c.id}`,
    });
  }
}
