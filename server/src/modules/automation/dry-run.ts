import type { AutomationDryRun } from '@shopcrew/shared';
import { Between, type DataSource } from 'typeorm';
import type { AutomationActionRegistry } from '../../platform/automation-actions';
import { OutboxEvent, type DomainEvent } from '../../platform/events';
import { parseCron } from '../../platform/scheduler';
import type { UnitOfWork } from '../../platform/tx';
import { AppError } from '../../errors';
import type { AutomationRule } from './automation.entity';
import { AUTOMATION_ACTOR, matches, type AutomationEngine } from './engine';
import { scheduleEvent } from './schedules';

export const DRY_RUN_DAYS = 7;
const MAX_EVENTS = 5000;
const MAX_LISTED = 50;

/** Thrown at the end of a dry run's transaction so that nothing it read through can stay written. */
class DryRunRollback extends Error {}

/**
 * Replays the last 7 days of the trigger's events (from the outbox, which keeps them) through a rule, and asks each
 * action what it would have done. Actions only read in `preview`; the whole replay also runs in a transaction that is
 * always rolled back, so a dry run changes nothing whatever an action does.
 */
export class DryRun {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly engine: AutomationEngine,
    private readonly actions: AutomationActionRegistry,
    private readonly timeZone: string,
    private readonly now: () => number,
  ) {}

  async run(rule: AutomationRule): Promise<AutomationDryRun> {
    const to = this.now();
    const from = to - DRY_RUN_DAYS * 86_400_000;
    const events = rule.triggerKind === 'event' ? await this.events(rule.eventType ?? '', from, to) : this.occurrences(rule, from, to);
    const hits = events.map((e) => ({ e, condition: matches(rule, e) })).filter((h) => h.condition !== null);
    const listed = hits.slice(-MAX_LISTED).reverse();
    const items: AutomationDryRun['items'] = [];
    try {
      await this.ds.transaction(async (manager) => {
        const tx = this.uow.wrap(manager, { actor: AUTOMATION_ACTOR, requestId: null });
        for (const { e, condition } of listed) {
          const steps = [];
          for (const step of rule.actions) {
            const def = this.actions.get(step.key);
            if (!def) {
              steps.push({ key: step.key, label: step.key, ok: false, text: '动作已不存在 (unknown action)' });
              continue;
            }
            try {
              const text = await def.preview(this.engine.context(rule, e, step, def.subject, tx));
              steps.push({ key: def.key, label: def.label, ok: true, text });
            } catch (err) {
              if (!(err instanceof AppError)) throw err;
              steps.push({ key: def.key, label: def.label, ok: false, text: err.message });
            }
          }
          items.push({ eventId: e.id, at: e.occurredAt, matched: condition ? this.engine.describe(e, condition) : `定时 ${rule.cron ?? ''}`, steps });
        }
        throw new DryRunRollback();
      });
    } catch (err) {
      if (!(err instanceof DryRunRollback)) throw err;
    }
    return { from, to, checked: events.length, matched: hits.length, items, truncated: hits.length > listed.length };
  }

  /** The trigger's events in the window, oldest first (the newest MAX_EVENTS when there are more). */
  private async events(type: string, from: number, to: number): Promise<DomainEvent[]> {
    const rows = await this.ds
      .getRepository(OutboxEvent)
      .find({ where: { type, occurredAt: Between(from, to) }, order: { occurredAt: 'DESC', id: 'DESC' }, take: MAX_EVENTS });
    return rows.reverse().map((r) => ({ id: r.eventId, type: r.type, payload: r.payload, actor: r.actor, requestId: r.requestId, occurredAt: r.occurredAt }));
  }

  private occurrences(rule: AutomationRule, from: number, to: number): DomainEvent[] {
    const cron = parseCron(rule.cron ?? '', this.timeZone);
    const out: DomainEvent[] = [];
    for (let at = cron.nextAfter(from); at !== null && at <= to && out.length < MAX_EVENTS; at = cron.nextAfter(at)) out.push(scheduleEvent(rule, at));
    return out;
  }
}
