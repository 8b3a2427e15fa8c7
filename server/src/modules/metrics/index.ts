import { defineModule } from '../../platform/module';
import { dayIn } from './days';
import { FactRecorder } from './facts';
import { MetricDaily, MetricDirty, MetricOrder, MetricRefund } from './metric.entity';
import { MetricQuery } from './metric-query';
import { metricRoutes } from './metric.routes';
import { Rollup } from './rollup';

declare module '../../platform/services' {
  interface ServiceMap {
    metricFacts: FactRecorder;
    metricRollup: Rollup;
    metricQuery: MetricQuery;
  }
}

/** 数据: facts from other modules' events, daily rollups per shop, member and SKU, and the figures API (README.md). */
export const metricsModule = defineModule({
  name: 'metrics',
  entities: [MetricOrder, MetricRefund, MetricDaily, MetricDirty],
  create: ({ config, ds, uow, logger, services, scheduler }) => {
    const facts = new FactRecorder(config.TZ_CORP);
    const rollup = new Rollup(ds, uow, config.TZ_CORP, logger);
    const shops = services.get('shops');
    const org = services.get('org');
    const query = new MetricQuery(ds, {
      shops: async () => new Map((await shops.list()).map((s) => [s.shopId, s.name])),
      members: (userids) => org.namesOf(userids),
    });
    return {
      provides: { metricFacts: facts, metricRollup: rollup, metricQuery: query },
      routes: metricRoutes(query),
      subscribers: facts.subscribers(),
      jobs: [
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
      ],
    };
  },
});
