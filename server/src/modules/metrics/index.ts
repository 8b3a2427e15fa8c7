import { Between, In } from 'typeorm';
import { defineModule } from '../../platform/module';
import { digestCron } from '../../platform/digests';
import { dayIn } from './days';
import { CaseFactRecorder } from './case-facts';
import { FactRecorder } from './facts';
import { MetricAlert, MetricWarning } from './alert.entity';
import { AlertService } from './alerts';
import { METRIC_EVENTS } from './metric.events';
import { MetricCase, MetricDaily, MetricDirty, MetricMark, MetricOrder, MetricRefund, MetricTargetRow } from './metric.entity';
import { EarlyWarnings } from './warnings';
import { MetricQuery } from './metric-query';
import { metricExport } from './metric-export';
import { metricRoutes } from './metric.routes';
import { DepartmentReports, REPORT_EVENTS } from './reports';
import { Rollup } from './rollup';
import { TargetService } from './targets';

declare module '../../platform/services' {
  interface ServiceMap {
    metricFacts: FactRecorder;
    metricCaseFacts: CaseFactRecorder;
    metricRollup: Rollup;
    metricQuery: MetricQuery;
    metricAlerts: AlertService;
    earlyWarnings: EarlyWarnings;
    metricTargets: TargetService;
    metricReports: DepartmentReports;
  }
}

/** 数据: facts from other modules' events, daily rollups per shop, member and SKU, and the figures API (README.md). */
export const metricsModule = defineModule({
  name: 'metrics',
  entities: [MetricOrder, MetricRefund, MetricCase, MetricMark, MetricDaily, MetricDirty, MetricTargetRow, MetricAlert, MetricWarning],
  create: ({ config, ds, uow, logger, services, scheduler }) => {
    const facts = new FactRecorder(config.TZ_CORP);
    const caseFacts = new CaseFactRecorder(config.TZ_CORP);
    const rollup = new Rollup(ds, uow, config.TZ_CORP, logger);
    const shops = services.get('shops');
    const org = services.get('org');
    const query = new MetricQuery(ds, {
      shops: async () => new Map((await shops.list()).map((s) => [s.shopId, s.name])),
      members: (userids) => org.namesOf(userids),
      teamOf: (userid) => org.teamLedBy(userid),
    });
    const now = () => scheduler.clock.now();
    const targets = new TargetService(ds, uow, query, () => shops.list(), now);
    const alerts = new AlertService(ds, uow, query, targets, now);
    const warnings = new EarlyWarnings(ds, uow, query, now);
    const authz = services.lazy('authz');
    const reports = new DepartmentReports(
      query,
      {
        departments: () => org.activeDepartments(),
        leaderFrom: (departmentId) => org.leaderFrom(departmentId, ''),
        membersUnder: (departmentId) => org.activeMembersUnder(departmentId),
        namesOf: (userids) => org.namesOf(userids),
        actor: (userid) => authz().actor(userid),
        shops: () => shops.list(),
      },
      uow,
      config.TZ_CORP,
      logger,
    );
    // The digests' lines (per department, members of its team): orders they first claimed and cases they resolved.
    const teamCount = async (entity: typeof MetricOrder | typeof MetricCase, departmentId: number, from: number, to: number) => {
      const team = await org.activeMembersUnder(departmentId);
      if (!team.length) return 0;
      return entity === MetricOrder
        ? ds.getRepository(MetricOrder).countBy({ claimedBy: In(team), claimedAt: Between(from, to - 1) })
        : ds.getRepository(MetricCase).countBy({ resolvedBy: In(team), resolvedAt: Between(from, to - 1) });
    };
    return {
      provides: {
        metricFacts: facts,
        metricCaseFacts: caseFacts,
        metricRollup: rollup,
        metricQuery: query,
        metricAlerts: alerts,
        earlyWarnings: warnings,
        metricTargets: targets,
        metricReports: reports,
      },
      events: [...METRIC_EVENTS, ...REPORT_EVENTS],
      routes: metricRoutes(query, alerts, warnings, targets),
      subscribers: [...facts.subscribers(), ...caseFacts.subscribers()],
      exports: [metricExport(ds, shops, org)],
      digestSections: [
        { key: 'metrics.claimed', label: '认领订单', count: (scope) => teamCount(MetricOrder, scope.departmentId, scope.from, scope.to) },
        { key: 'metrics.resolved', label: '解决售后', count: (scope) => teamCount(MetricCase, scope.departmentId, scope.from, scope.to) },
      ],
      jobs: [
        // The department reports, at the digests' times (TZ_CORP): yesterday's each day, last week's on Mondays.
        {
          key: 'metrics.report.daily',
          cron: digestCron(config.DIGEST_DAILY_AT, false),
          run: ({ scheduledAt }) => reports.publish('daily', scheduledAt).then(() => undefined),
        },
        {
          key: 'metrics.report.weekly',
          cron: digestCron(config.DIGEST_WEEKLY_AT, true),
          run: ({ scheduledAt }) => reports.publish('weekly', scheduledAt).then(() => undefined),
        },
        // Days whose facts changed, each minute (once across instances); yesterday again at 02:17 for late facts.
        { key: 'metrics.rollup', cron: '* * * * *', run: () => rollup.dirty().then(() => undefined) },
        {
          key: 'metrics.rollup-yesterday',
          cron: '17 2 * * *',
          run: async () => {
            const yesterday = dayIn(config.TZ_CORP, scheduler.clock.now() - 86_400_000);
            for (const s of await shops.list()) await rollup.day(yesterday, s.shopId);
          },
        },
        {
          // After yesterday's rollup: alert lines and early warnings on the last complete day, each told once.
          key: 'metrics.checks',
          cron: '47 2 * * *',
          run: async () => {
            const yesterday = dayIn(config.TZ_CORP, now() - 86_400_000);
            await alerts.evaluate(yesterday);
            await warnings.evaluate(
              yesterday,
              (await shops.list()).map((s) => s.shopId),
            );
          },
        },
      ],
    };
  },
});
