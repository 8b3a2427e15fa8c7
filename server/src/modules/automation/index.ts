import { defineModule } from '../../platform/module';
import { AUTOMATION_ENTITIES } from './automation.entity';
import { AUTOMATION_EVENTS } from './automation.events';
import { automationRoutes } from './automation.routes';
import { DryRun } from './dry-run';
import { AutomationEngine } from './engine';
import { notifyAction } from './notify-action';
import { AutomationRules } from './rule.service';
import { ScheduledRules } from './schedules';

declare module '../../platform/services' {
  interface ServiceMap {
    automationRules: AutomationRules;
    automationEngine: AutomationEngine;
    scheduledRules: ScheduledRules;
  }
}

/** 自动化: rules (event or schedule + condition + actions other modules offer), guarded chains, run log, dry runs (README.md). */
export const automationModule = defineModule({
  name: 'automation',
  entities: AUTOMATION_ENTITIES,
  create: ({ config, ds, uow, logger, services, scheduler, events, automationActions }) => {
    const now = () => scheduler.clock.now();
    const engine = new AutomationEngine(automationActions, events, logger, config.TZ_CORP, now);
    const rules = new AutomationRules(ds, uow, events, automationActions, config.TZ_CORP, now);
    const scheduled = new ScheduledRules(ds, uow, engine, config.TZ_CORP, now);
    const dryRun = new DryRun(ds, uow, engine, automationActions, config.TZ_CORP, now);
    return {
      provides: { automationRules: rules, automationEngine: engine, scheduledRules: scheduled },
      events: AUTOMATION_EVENTS,
      routes: automationRoutes(rules, dryRun),
      subscribers: [engine.subscriber()],
      automationActions: [notifyAction({ org: services.get('org'), roles: services.get('roles') })],
      jobs: [{ key: 'automation.schedules', cron: '* * * * *', run: () => scheduled.tick().then(() => undefined) }],
    };
  },
});
