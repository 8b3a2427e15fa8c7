import { IsNull, type DataSource } from 'typeorm';
import type { DomainEvent } from '../../platform/events';
import { parseCron } from '../../platform/scheduler';
import type { UnitOfWork } from '../../platform/tx';
import { AutomationRule } from './automation.entity';
import { AUTOMATION_ACTOR, type AutomationEngine } from './engine';

/** The pseudo event a scheduled run is given (actions that need a subject are refused for schedules when saved). */
export function scheduleEvent(rule: AutomationRule, at: number): DomainEvent {
  return {
    id: `schedule:${at}`,
    type: 'schedule',
    payload: { fired_at: at, ...(rule.shopId ? { shop_id: rule.shopId } : {}) },
    actor: AUTOMATION_ACTOR,
    requestId: null,
    occurredAt: at,
  };
}

/**
 * Scheduled rules, checked each minute by a job (which the scheduler runs once across instances). Each rule runs its
 * latest due occurrence once: moving `last_fired_at` forward is a conditional update in the same unit as the actions,
 * so a second runner finds nothing to do, and occurrences missed while the app was down collapse into one run.
 */
export class ScheduledRules {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly engine: AutomationEngine,
    private readonly timeZone: string,
    private readonly now: () => number,
  ) {}

  async tick(): Promise<number> {
    const now = this.now();
    let ran = 0;
    for (const rule of await this.ds.getRepository(AutomationRule).findBy({ enabled: 1, triggerKind: 'schedule' })) {
      const due = parseCron(rule.cron ?? '', this.timeZone).latestAtOrBefore(now);
      if (due === null || (rule.lastFiredAt !== null && due <= rule.lastFiredAt)) continue;
      await this.uow.run({ actor: AUTOMATION_ACTOR }, async (tx) => {
        const moved = await tx.manager.update(
          AutomationRule,
          { id: rule.id, version: rule.version, enabled: 1, lastFiredAt: rule.lastFiredAt ?? IsNull() },
          { lastFiredAt: due },
        );
        if (moved.affected !== 1) return; // edited, switched off or run by someone else meanwhile: the next tick decides
        await this.engine.run(rule, scheduleEvent(rule, due), tx, [], `定时 ${rule.cron ?? ''}`);
        ran++;
      });
    }
    return ran;
  }
}
