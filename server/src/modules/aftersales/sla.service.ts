import type { AftersalesPolicy, CaseDeadline } from '@shopcrew/shared';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../lib/logger';
import type { ReturnDeadlineKey } from '../../marketplace/types';
import type { Tx, UnitOfWork } from '../../platform/tx';
import { addBusinessMinutes, businessMinutesBetween } from './business-hours';
import { Case, CaseDeadlineRow, CaseHistory } from './case.entity';
import { DONE, PAUSED } from './case-state';

type Key = CaseDeadline['key'];
/** After a breach, the owner hears of it this much later if it is still unmet (the second escalation level). */
export const ESCALATE_AFTER_MS = 2 * 3_600_000;
/** The case's running deadlines never end: a sentinel keeps `due_at` non-null so the urgent-first index covers it. */
export const NO_DEADLINE = 253_402_300_799_000;
const SLA_KEYS: readonly Key[] = ['first_response', 'resolution'];
const TICK_BATCH = 500;

export const DEADLINE_LABELS: Record<Key, string> = {
  first_response: '首次响应',
  resolution: '解决时限',
  due_date: '平台处理截止',
  return_ship_due_date: '买家寄回截止',
  return_seller_due_date: '卖家处理退货截止',
  offer_due_date: '协商回复截止',
  seller_evidence_deadline: '举证截止',
  seller_compensation_due_date: '申请赔偿截止',
};

/** When the next reminder step of a deadline at `at` is due: due-soon, then the breach, then the escalation. */
export function nextStepAt(at: number | null, stage: number, dueSoonMinutes: number): number | null {
  if (at === null) return null;
  if (stage === 0) return at - dueSoonMinutes * 60_000;
  if (stage === 1) return at;
  if (stage === 2) return at + ESCALATE_AFTER_MS;
  return null;
}

/**
 * SLA clocks. Each case has its deadlines: the SLA targets (first response and resolution, in the shop's business
 * hours from the moment the case was opened; they stand still while the case waits for the buyer or the platform)
 * and the marketplace's own. Every deadline walks three reminder steps — due soon (the assignee), breached (the
 * leads), escalated (the owner) — each sent once: a tick takes the due rows by `next_at` (one index range) and moves
 * each with a conditional update of its stage, so several instances ticking at once send every step exactly once.
 */
export class SlaService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly policyOf: (shopId: string) => Promise<AftersalesPolicy>,
    private readonly timeZone: string,
    private readonly logger: Logger,
  ) {}

  /** A new case: its SLA targets from `openedAt` and the platform's deadlines. */
  async start(tx: Tx, c: Case, policy: AftersalesPolicy, platform: Partial<Record<ReturnDeadlineKey, number>>, openedAt: number): Promise<void> {
    const target = policy.targets[c.type];
    const rows: Array<Pick<CaseDeadlineRow, 'key' | 'at'>> = [
      { key: 'first_response', at: addBusinessMinutes(openedAt, target.firstResponseMinutes, policy.hours, this.timeZone) },
      { key: 'resolution', at: addBusinessMinutes(openedAt, target.resolutionMinutes, policy.hours, this.timeZone) },
      ...Object.entries(platform).map(([key, at]) => ({ key: key as Key, at })),
    ];
    await tx.manager.insert(
      CaseDeadlineRow,
      rows.map((r) => ({ caseId: c.id, key: r.key, at: r.at, remainingMinutes: null, met: 0, stage: 0, nextAt: nextStepAt(r.at, 0, policy.dueSoonMinutes) })),
    );
    await this.refreshDue(tx, c.id);
  }

  /** The marketplace moved its deadlines: new ones are added, changed ones restart their reminders. */
  async platformDeadlines(tx: Tx, caseId: number, platform: Partial<Record<ReturnDeadlineKey, number>>, dueSoonMinutes: number): Promise<void> {
    for (const [key, at] of Object.entries(platform) as Array<[Key, number]>) {
      const row = await tx.manager.findOneBy(CaseDeadlineRow, { caseId, key });
      if (row?.at === at) continue;
      await tx.manager.save(CaseDeadlineRow, {
        caseId,
        key,
        at,
        remainingMinutes: null,
        met: row?.met ?? 0,
        stage: 0,
        nextAt: row?.met ? null : nextStepAt(at, 0, dueSoonMinutes),
      });
    }
    await this.refreshDue(tx, caseId);
  }

  /** The case changed state: pause or resume the SLA targets, or close every clock. */
  async onState(tx: Tx, c: Case, now: number): Promise<void> {
    const policy = await this.policyOf(c.shopId);
    const rows = await tx.manager.findBy(CaseDeadlineRow, { caseId: c.id });
    for (const r of rows) {
      if (r.met) continue;
      if (DONE.includes(c.state)) {
        await tx.manager.update(CaseDeadlineRow, { caseId: c.id, key: r.key }, { met: 1, nextAt: null });
      } else if (SLA_KEYS.includes(r.key) && PAUSED.includes(c.state) && r.at !== null) {
        const left = businessMinutesBetween(now, r.at, policy.hours, this.timeZone);
        await tx.manager.update(CaseDeadlineRow, { caseId: c.id, key: r.key }, { at: null, remainingMinutes: left, nextAt: null });
      } else if (SLA_KEYS.includes(r.key) && !PAUSED.includes(c.state) && r.at === null && r.remainingMinutes !== null) {
        const at = addBusinessMinutes(now, r.remainingMinutes, policy.hours, this.timeZone);
        await tx.manager.update(
          CaseDeadlineRow,
          { caseId: c.id, key: r.key },
          { at, remainingMinutes: null, nextAt: nextStepAt(at, r.stage, policy.dueSoonMinutes) },
        );
      }
    }
    if (c.state === 'reopened') await this.reopen(tx, c, policy, now);
    await this.refreshDue(tx, c.id);
  }

  /** Someone answered: the first-response target is met. */
  async responded(tx: Tx, caseId: number): Promise<void> {
    await tx.manager.update(CaseDeadlineRow, { caseId, key: 'first_response', met: 0 }, { met: 1, nextAt: null });
    await this.refreshDue(tx, caseId);
  }

  /**
   * One tick: every reminder step due by `now`, each once. Answers how many steps were taken. The rows are read by
   * the `next_at` index; a step is taken by whoever moves its stage first.
   */
  async tick(now: number): Promise<number> {
    let taken = 0;
    for (let afterCase = 0, afterKey = ''; ;) {
      const due = await this.ds
        .getRepository(CaseDeadlineRow)
        .createQueryBuilder('d')
        .where('d.next_at <= :now', { now })
        .andWhere('(d.case_id > :c OR (d.case_id = :c AND d.deadline_key > :k))', { c: afterCase, k: afterKey })
        .orderBy('d.case_id', 'ASC')
        .addOrderBy('d.deadline_key', 'ASC')
        .limit(TICK_BATCH)
        .getMany();
      for (const row of due)
        if (await this.step(row, now).catch((err: unknown) => (this.logger.warn({ err, caseId: row.caseId }, 'SLA step failed'), false))) taken++;
      if (due.length < TICK_BATCH) return taken;
      const last = due[due.length - 1]!;
      [afterCase, afterKey] = [last.caseId, last.key];
    }
  }

  private async step(row: CaseDeadlineRow, now: number): Promise<boolean> {
    return this.uow.run({ actor: 'system' }, async (tx) => {
      const c = await tx.manager.findOneBy(Case, { id: row.caseId });
      if (!c || !c.open || row.at === null) {
        await tx.manager.update(CaseDeadlineRow, { caseId: row.caseId, key: row.key, stage: row.stage }, { nextAt: null });
        return false;
      }
      const policy = await this.policyOf(c.shopId);
      const stage = row.stage + 1;
      // Several steps may be due at once (a deadline already past when it was set): send only the latest.
      let to = stage;
      while (to < 3 && (nextStepAt(row.at, to, policy.dueSoonMinutes) ?? Infinity) <= now) to++;
      const moved = await tx.manager
        .createQueryBuilder()
        .update(CaseDeadlineRow)
        .set({ stage: to, nextAt: nextStepAt(row.at, to, policy.dueSoonMinutes) })
        .where('case_id = :id AND deadline_key = :key AND stage = :stage', { id: row.caseId, key: row.key, stage: row.stage })
        .execute();
      if (moved.affected !== 1) return false;
      await this.announce(tx, c, row, to, now);
      await this.refreshDue(tx, c.id);
      return true;
    });
  }

  private async announce(tx: Tx, c: Case, row: CaseDeadlineRow, stage: number, now: number): Promise<void> {
    const label = DEADLINE_LABELS[row.key];
    const base = {
      case_id: String(c.id),
      shop_id: c.shopId,
      order_id: c.orderSn ?? '—',
      deadline: label,
      due_at: row.at!,
      url: `/cases/${c.id}`,
      ...(c.assignee ? { assignee: c.assignee } : {}),
    };
    const kind = stage === 1 ? 'case.due_soon' : stage === 2 ? 'case.breached' : 'case.escalated';
    const text = stage === 1 ? `${label}即将到期` : stage === 2 ? `${label}已超时` : `${label}超时未处理，已升级给店长`;
    await tx.manager.insert(CaseHistory, { caseId: c.id, at: now, kind: stage === 1 ? 'reminder' : 'breach', actor: null, from: null, to: null, text });
    await tx.publish(kind, base);
  }

  /** `due_at` = the earliest unmet running deadline; `breached` = one has passed. */
  async refreshDue(tx: Tx, caseId: number): Promise<void> {
    const rows = await tx.manager.findBy(CaseDeadlineRow, { caseId, met: 0 });
    const running = rows.filter((r) => r.at !== null).map((r) => r.at!);
    const breached = rows.some((r) => r.stage >= 2) ? 1 : 0;
    await tx.manager.update(Case, { id: caseId }, { dueAt: running.length ? Math.min(...running) : NO_DEADLINE, breached });
  }

  private async reopen(tx: Tx, c: Case, policy: AftersalesPolicy, now: number): Promise<void> {
    const at = addBusinessMinutes(now, policy.targets[c.type].resolutionMinutes, policy.hours, this.timeZone);
    await tx.manager.save(CaseDeadlineRow, {
      caseId: c.id,
      key: 'resolution',
      at,
      remainingMinutes: null,
      met: 0,
      stage: 0,
      nextAt: nextStepAt(at, 0, policy.dueSoonMinutes),
    });
  }

  async views(caseId: number, now: number): Promise<CaseDeadline[]> {
    const rows = await this.ds.getRepository(CaseDeadlineRow).findBy({ caseId });
    return rows
      .map((r) => ({
        key: r.key,
        label: DEADLINE_LABELS[r.key],
        at: new Date(r.at ?? now + (r.remainingMinutes ?? 0) * 60_000).toISOString(),
        paused: r.at === null && r.remainingMinutes !== null,
        met: Boolean(r.met),
        breached: r.stage >= 2 && !r.met,
      }))
      .sort((a, b) => a.at.localeCompare(b.at));
  }
}
