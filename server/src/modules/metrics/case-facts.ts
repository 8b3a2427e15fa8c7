import { IsNull, type EntityManager } from 'typeorm';
import { CASE_STATE_ZH, type CaseState } from '@shopcrew/shared';
import type { DomainEvent, Subscriber } from '../../platform/events';
import { markDirty } from './facts';
import { MetricCase, MetricMark } from './metric.entity';

/** case.state_changed names states in Chinese (CASE_STATE_ZH); back to their keys. */
const STATE_OF = new Map(Object.entries(CASE_STATE_ZH).map(([k, zh]) => [zh, k as CaseState]));
const DONE: readonly CaseState[] = ['resolved', 'closed'];
/** Actors that are not the team: the marketplace moving a case, ShopCrew's own jobs and its automation rules. */
const NOT_THE_TEAM = new Set(['shopee', 'system', 'wecom', 'automation']);

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/**
 * The after-sales and checklist facts, from aftersales' and sop's events only (never their tables):
 * - case.opened → a `metric_cases` row (opened at the event's time, with its assignee if it came assigned);
 * - case.assigned → who holds it now;
 * - case.state_changed → the first response (the team's first move of the case — not the platform's, e.g. Shopee
 *   sending it to 待平台 — against whoever moved it) and the resolution (into 已解决 / 已关闭, counted against the assignee then; reopening clears it, so a
 *   case counts where it was finally resolved);
 * - case.breached → one `sla_breach` mark per deadline breached, against the assignee;
 * - checklist.completed / checklist.overdue of a shop's checklist → `checklist_done` / `checklist_overdue` marks.
 * A note by the assignee also meets the first-response SLA, but publishes no event, so it is not seen here.
 */
export class CaseFactRecorder {
  constructor(private readonly timeZone: string) {}

  subscribers(): Subscriber[] {
    return [
      { key: 'metrics.case-opened', on: ['case.opened'], handle: (e, tx) => this.opened(tx.manager, e) },
      { key: 'metrics.case-assigned', on: ['case.assigned'], handle: (e, tx) => this.assigned(tx.manager, e) },
      { key: 'metrics.case-state', on: ['case.state_changed'], handle: (e, tx) => this.stateChanged(tx.manager, e) },
      { key: 'metrics.case-breached', on: ['case.breached'], handle: (e, tx) => this.breached(tx.manager, e) },
      { key: 'metrics.checklists', on: ['checklist.completed', 'checklist.overdue'], handle: (e, tx) => this.checklist(tx.manager, e) },
    ];
  }

  async opened(m: EntityManager, e: DomainEvent): Promise<void> {
    const p = e.payload;
    const shopId = String(p['shop_id']);
    await m
      .createQueryBuilder()
      .insert()
      .into(MetricCase)
      .values({
        caseId: String(p['case_id']),
        shopId,
        openedAt: e.occurredAt,
        assignee: str(p['assignee']),
        respondedAt: null,
        respondedBy: null,
        resolvedAt: null,
        resolvedBy: null,
      })
      .orIgnore()
      .updateEntity(false)
      .execute();
    await markDirty(m, this.timeZone, shopId, e.occurredAt);
  }

  async assigned(m: EntityManager, e: DomainEvent): Promise<void> {
    const assignee = str(e.payload['assignee']);
    if (assignee) await m.update(MetricCase, { caseId: String(e.payload['case_id']) }, { assignee });
  }

  async stateChanged(m: EntityManager, e: DomainEvent): Promise<void> {
    const caseId = String(e.payload['case_id']);
    const fact = await m.findOneBy(MetricCase, { caseId });
    if (!fact) return; // opened before the figures were kept
    const to = STATE_OF.get(String(e.payload['to']));
    const byTeam = !NOT_THE_TEAM.has(e.actor);
    if (byTeam && fact.respondedAt === null) {
      await m.update(MetricCase, { caseId, respondedAt: IsNull() }, { respondedAt: e.occurredAt, respondedBy: e.actor });
      await markDirty(m, this.timeZone, fact.shopId, e.occurredAt);
    }
    if (to && DONE.includes(to) && fact.resolvedAt === null) {
      const by = fact.assignee ?? (byTeam ? e.actor : null);
      await m.update(MetricCase, { caseId, resolvedAt: IsNull() }, { resolvedAt: e.occurredAt, resolvedBy: by });
      await markDirty(m, this.timeZone, fact.shopId, e.occurredAt);
    }
    if (to === 'reopened' && fact.resolvedAt !== null) {
      await m.update(MetricCase, { caseId }, { resolvedAt: null, resolvedBy: null });
      await markDirty(m, this.timeZone, fact.shopId, fact.resolvedAt);
    }
  }

  async breached(m: EntityManager, e: DomainEvent): Promise<void> {
    const p = e.payload;
    const shopId = String(p['shop_id']);
    const held = str(p['assignee']) ?? (await m.findOneBy(MetricCase, { caseId: String(p['case_id']) }))?.assignee ?? null;
    await this.mark(m, { id: e.id, kind: 'sla_breach', shopId, member: held, at: e.occurredAt, detail: str(p['deadline']) });
  }

  async checklist(m: EntityManager, e: DomainEvent): Promise<void> {
    const shopId = str(e.payload['shop_id']);
    if (!shopId) return; // a corp-wide checklist (onboarding …) belongs to no shop's figures
    const overdue = e.type === 'checklist.overdue';
    await this.mark(m, {
      id: e.id,
      kind: overdue ? 'checklist_overdue' : 'checklist_done',
      shopId,
      member: overdue ? str(e.payload['assignee']) : null,
      at: e.occurredAt,
      detail: (str(e.payload['template']) ?? '').slice(0, 100) || null,
    });
  }

  private async mark(m: EntityManager, row: MetricMark): Promise<void> {
    await m.createQueryBuilder().insert().into(MetricMark).values(row).orIgnore().updateEntity(false).execute();
    await markDirty(m, this.timeZone, row.shopId, row.at);
  }
}
