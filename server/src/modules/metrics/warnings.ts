import { Between, type DataSource } from 'typeorm';
import { METRIC_DEFS, type MetricKey } from '@shopcrew/shared';
import type { UnitOfWork } from '../../platform/tx';
import { formatValue } from './alerts';
import { MetricWarning } from './alert.entity';
import type { MetricQuery } from './metric-query';
import { addDays } from './days';

/** The figures watched for a departure from their own pattern. */
const WATCHED: MetricKey[] = ['orders', 'gmv', 'refunded_orders', 'refund_amount'];
const WEEKS = 8;

export interface Anomaly {
  flagged: boolean;
  mean: number;
  sd: number;
}

/**
 * Whether `value` departs from `history` (the same weekday of the last weeks): beyond mean ± 3σ; for a flat history
 * (σ = 0, e.g. always 3 refunds) when it differs from the mean by at least the mean itself and at least 3. At least 4
 * weeks of history are needed, so a new shop is not flagged on its first days.
 */
export function anomaly(value: number, history: readonly number[]): Anomaly {
  const n = history.length;
  const mean = n ? history.reduce((a, b) => a + b, 0) / n : 0;
  const sd = n ? Math.sqrt(history.reduce((a, b) => a + (b - mean) ** 2, 0) / n) : 0;
  if (n < 4) return { flagged: false, mean, sd };
  const flagged = sd > 0 ? Math.abs(value - mean) > 3 * sd : Math.abs(value - mean) >= Math.max(3, mean);
  return { flagged, mean, sd };
}

/**
 * Early warnings: each watched daily figure of each shop against the same weekday of the last eight weeks; a departure
 * is kept once per (day, shop, metric) and told as `metric.warning` with its reason ('退款订单数 12，近 8 周同日均值 3').
 */
export class EarlyWarnings {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly figures: MetricQuery,
    private readonly now: () => number,
  ) {}

  async evaluate(day: string, shops: readonly string[]): Promise<number> {
    let told = 0;
    for (const shop of shops) {
      for (const metric of WATCHED) {
        const res = await this.figures.compute({ metric, scope: 'shop', shop, from: addDays(day, -7 * WEEKS), to: day, granularity: 'day', limit: 10 }, 'all');
        for (const series of res.series) {
          const at = new Map(series.points.map((p) => [p.day, p.value ?? 0]));
          const history = Array.from({ length: WEEKS }, (_, i) => addDays(day, -7 * (i + 1)))
            .filter((d) => d >= firstDay(at))
            .map((d) => at.get(d) ?? 0);
          const value = at.get(day) ?? 0;
          const a = anomaly(value, history);
          if (!a.flagged) continue;
          const def = METRIC_DEFS[metric];
          const reason = `${def.label} ${formatValue(value, def.unit, series.currency)}，近 ${history.length} 周同日均值 ${formatValue(a.mean, def.unit, series.currency)}`;
          told += await this.tell(day, shop, metric, value, a.mean, reason);
        }
      }
    }
    return told;
  }

  async list(from: string, to: string): Promise<MetricWarning[]> {
    return this.ds.getRepository(MetricWarning).find({ where: { day: Between(from, to) }, order: { day: 'DESC', shopId: 'ASC' }, take: 500 });
  }

  private tell(day: string, shopId: string, metric: MetricKey, value: number, baseline: number, reason: string): Promise<number> {
    return this.uow.run({ actor: 'system', requestId: `metrics.warning:${day}:${shopId}:${metric}` }, async (tx) => {
      // Told once: the (day, shop, metric) key is unique; a second instance at the same moment fails on it and rolls back.
      if (await tx.manager.existsBy(MetricWarning, { day, shopId, metric })) return 0;
      await tx.manager.insert(MetricWarning, { day, shopId, metric, value, baseline, reason, createdAt: this.now() });
      await tx.publish('metric.warning', { shop_id: shopId, metric: METRIC_DEFS[metric].label, day, reason, url: `/data?metric=${metric}&shop=${shopId}` });
      return 1;
    });
  }
}

/** The first day with a figure: weeks before the shop had any are not history. */
function firstDay(at: Map<string, number>): string {
  return [...at.keys()].sort()[0] ?? '9999-12-31';
}
