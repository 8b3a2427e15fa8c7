import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { METRIC_DEFS, METRIC_KEYS, TARGET_METRICS, type AlertLine, type MetricSeries } from '@shopcrew/shared';
import { NotFoundError, ValidationError } from '../../errors';
import type { UnitOfWork } from '../../platform/tx';
import { MetricAlert } from './alert.entity';
import { addDays, daysFrom } from './days';
import type { MetricQuery } from './metric-query';
import type { TargetService } from './targets';

export const alertBody = z
  .object({
    name: z.string().trim().min(1, '请填写名称 (name is required)').max(100),
    metric: z.enum(METRIC_KEYS),
    shopId: z
      .string()
      .regex(/^\d{1,32}$/)
      .nullable()
      .optional(),
    sku: z.string().trim().min(1).max(64).nullable().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .nullable()
      .optional(),
    comparison: z.enum(['>', '>=', '<', '<=']),
    threshold: z.number().finite(),
    basis: z.enum(['value', 'target']).default('value'),
    windowDays: z.number().int().min(1).max(30).default(1),
    enabled: z.boolean().default(true),
  })
  .strict();
export type AlertInput = z.infer<typeof alertBody>;

const COMPARE = {
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
};

/** The line in words: `> 5.0%（连续 3 天）`, `< 目标（20）（连续 3 天）`, `< 目标 × 80%（16）`. */
export function lineText(a: Pick<MetricAlert, 'metric' | 'comparison' | 'threshold' | 'basis' | 'windowDays' | 'currency'>, target: number | null): string {
  const def = METRIC_DEFS[a.metric];
  const window = a.windowDays > 1 ? `（连续 ${a.windowDays} 天）` : '';
  if (a.basis !== 'target') return `${a.comparison} ${formatValue(a.threshold, def.unit, a.currency)}${window}`;
  const share = a.threshold === 1 ? '' : ` × ${formatValue(a.threshold, 'percent', null)}`;
  const amount = target === null ? '未设目标' : formatValue(target * a.threshold, def.unit, a.currency);
  return `${a.comparison} 目标${share}（${amount}）${window}`;
}

const view = (a: MetricAlert, target: number | null): AlertLine => ({
  id: a.id,
  name: a.name,
  metric: a.metric,
  metricLabel: METRIC_DEFS[a.metric].label,
  shopId: a.shopId,
  sku: a.sku,
  currency: a.currency,
  comparison: a.comparison,
  threshold: a.threshold,
  basis: a.basis,
  windowDays: a.windowDays,
  enabled: a.enabled === 1,
  state: a.state,
  since: a.since,
  checkedDay: a.checkedDay,
  target,
  text: lineText(a, target),
});

/**
 * Alert lines (退款率预警线, 'GMV < 1,000 three days running'): checked on complete days after the rollup; a line
 * crossed on each of its last `windowDays` days is breached and tells `metric.alert` once (a conditional update of
 * `state` decides who tells), and is not told again until a day is back on the right side (recovered).
 */
export class AlertService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly figures: MetricQuery,
    private readonly targets: Pick<TargetService, 'daily'>,
    private readonly now: () => number,
  ) {}

  /** The lines of the shops in `shops` and the team's (every shop's) lines. */
  async list(shops: 'all' | readonly string[] = 'all'): Promise<AlertLine[]> {
    const lines = (await this.ds.getRepository(MetricAlert).find({ order: { id: 'ASC' } })).filter(
      (a) => shops === 'all' || a.shopId === null || shops.includes(a.shopId),
    );
    return Promise.all(lines.map(async (a) => view(a, await this.targetOf(a))));
  }

  /** The shop a line watches (null: every shop); 404 when there is no such line. */
  async shopOf(id: number): Promise<string | null> {
    const a = await this.ds.getRepository(MetricAlert).findOneBy({ id });
    if (!a) throw new NotFoundError('预警线不存在 (alert not found)');
    return a.shopId;
  }

  /** The daily target a line compares with (its shop's, its SKU's, or the team's), or null (none set, or not against a target). */
  private targetOf(a: MetricAlert): Promise<number | null> {
    if (a.basis !== 'target') return Promise.resolve(null);
    return this.targets.daily({ metric: a.metric, shopId: a.shopId, shops: 'all', sku: a.sku ?? null, currency: a.currency });
  }

  private async viewOf(id: number): Promise<AlertLine> {
    const a = await this.ds.getRepository(MetricAlert).findOneByOrFail({ id });
    return view(a, await this.targetOf(a));
  }

  async create(userid: string, input: AlertInput, requestId?: string): Promise<AlertLine> {
    this.validate(input);
    const id = await this.uow.run({ actor: userid, requestId }, async (tx) => {
      const res = await tx.manager.insert(MetricAlert, {
        ...this.values(input),
        state: 'ok',
        since: null,
        checkedDay: null,
        createdBy: userid,
        createdAt: this.now(),
      });
      const alertId = Number((res.identifiers[0] as { id: number }).id);
      await tx.audit({ action: 'metrics.alert_created', targetType: 'metric_alert', targetId: String(alertId), after: input });
      return alertId;
    });
    return this.viewOf(id);
  }

  async update(userid: string, id: number, input: AlertInput, requestId?: string): Promise<AlertLine> {
    this.validate(input);
    await this.uow.run({ actor: userid, requestId }, async (tx) => {
      const before = await tx.manager.findOneBy(MetricAlert, { id });
      if (!before) throw new NotFoundError('预警线不存在 (alert not found)');
      // A changed line starts over (its next check decides afresh); switching one off and on, or renaming it, does not,
      // so a line already breached is not told again.
      const next = this.values(input);
      const WHAT = ['metric', 'shopId', 'sku', 'basis', 'currency', 'comparison', 'threshold', 'windowDays'] as const;
      const changed = WHAT.some((k) => next[k] !== before[k]);
      await tx.manager.update(MetricAlert, { id }, { ...next, ...(changed ? { state: 'ok' as const, since: null, checkedDay: null } : {}) });
      await tx.audit({ action: 'metrics.alert_updated', targetType: 'metric_alert', targetId: String(id), before, after: input });
    });
    return this.viewOf(id);
  }

  async remove(userid: string, id: number, requestId?: string): Promise<void> {
    await this.uow.run({ actor: userid, requestId }, async (tx) => {
      const before = await tx.manager.findOneBy(MetricAlert, { id });
      if (!before) throw new NotFoundError('预警线不存在 (alert not found)');
      await tx.manager.delete(MetricAlert, { id });
      await tx.audit({ action: 'metrics.alert_deleted', targetType: 'metric_alert', targetId: String(id), before });
    });
  }

  /** Check every enabled line on the last complete day `day` (yesterday in TZ_CORP); answers how many were told. */
  async evaluate(day: string): Promise<number> {
    let told = 0;
    for (const a of await this.ds.getRepository(MetricAlert).findBy({ enabled: 1 })) {
      const from = addDays(day, -(a.windowDays - 1));
      const scope = a.sku ? 'sku' : a.shopId ? 'shop' : 'team';
      const figures = await this.figures.compute(
        { metric: a.metric, scope, shop: a.shopId ?? undefined, key: a.sku ?? undefined, from, to: day, granularity: 'day', limit: 100 },
        'all',
      );
      const series: MetricSeries | undefined = figures.series.find((s) => (a.currency ? s.currency === a.currency : true));
      const byDay = new Map((series?.points ?? []).map((p) => [p.day, p.value]));
      // Against a target: the daily target × the threshold; a line whose target is not set is not crossed.
      const target = await this.targetOf(a);
      const line = a.basis === 'target' ? (target === null ? null : target * a.threshold) : a.threshold;
      // Every day of the window must cross the line; a day with no figure (no orders) crosses only a '<' line at 0.
      const crossed =
        line !== null &&
        daysFrom(from, day).every((d) => {
          const v = byDay.get(d) ?? (METRIC_DEFS[a.metric].unit === 'percent' || METRIC_DEFS[a.metric].unit === 'minutes' ? null : 0);
          return v !== null && COMPARE[a.comparison](v, line);
        });
      told += await this.settle(a, crossed, day, byDay.get(day) ?? (crossed ? 0 : null), target);
    }
    return told;
  }

  /** ok → breached tells once; breached → ok when a day is back on the right side. */
  private async settle(a: MetricAlert, crossed: boolean, day: string, value: number | null, target: number | null): Promise<number> {
    return this.uow.run({ actor: 'system', requestId: `metrics.alert:${a.id}:${day}` }, async (tx) => {
      const to = crossed ? 'breached' : 'ok';
      const moved = await tx.manager
        .createQueryBuilder()
        .update(MetricAlert)
        .set({ state: to, since: crossed ? (a.state === 'breached' ? a.since : day) : null, checkedDay: day })
        .where('id = :id AND state = :state', { id: a.id, state: a.state })
        .execute();
      if (moved.affected !== 1 || !crossed || a.state === 'breached') return 0;
      const def = METRIC_DEFS[a.metric];
      await tx.publish('metric.alert', {
        alert_id: String(a.id),
        name: a.name,
        metric: def.label,
        ...(a.shopId ? { shop_id: a.shopId } : {}),
        ...(a.sku ? { sku: a.sku } : {}),
        value: value === null ? '—' : formatValue(value, def.unit, a.currency),
        line: lineText(a, target),
        day,
        url: `/data?metric=${a.metric}${a.shopId ? `&shop=${a.shopId}` : ''}`,
      });
      return 1;
    });
  }

  private validate(input: AlertInput): void {
    const def = METRIC_DEFS[input.metric];
    if (def.unit === 'money' && !input.currency) throw new ValidationError('金额类指标需要指定币种 (a money metric needs its currency)', { field: 'currency' });
    if (input.sku && !input.shopId) throw new ValidationError('按 SKU 预警需要指定店铺 (a SKU line needs its shop)', { field: 'shopId' });
    const scope = input.sku ? 'sku' : input.shopId ? 'shop' : 'team';
    if (!def.scopes.includes(scope))
      throw new ValidationError(`「${def.label}」不能用于${input.sku ? ' SKU ' : ''}预警线 (this metric has no ${scope} figure)`, { field: 'metric' });
    if (input.basis === 'target') {
      if (!(TARGET_METRICS as readonly string[]).includes(input.metric))
        throw new ValidationError(`「${def.label}」没有目标可比 (this metric has no targets)`, { field: 'basis' });
      if (!(input.threshold > 0 && input.threshold <= 10))
        throw new ValidationError('对比目标时，阈值是目标的倍数，如 1 = 目标本身、0.8 = 目标的 80% (a ratio of the target, 0–10)', { field: 'threshold' });
    }
  }

  private values(input: AlertInput) {
    return {
      name: input.name,
      metric: input.metric,
      shopId: input.shopId ?? null,
      sku: input.sku ?? null,
      basis: input.basis,
      currency: input.currency ?? null,
      comparison: input.comparison,
      threshold: input.threshold,
      windowDays: input.windowDays,
      enabled: input.enabled ? 1 : 0,
    };
  }
}

export function formatValue(v: number, unit: string, currency: string | null): string {
  if (unit === 'percent') return `${(v * 100).toFixed(1)}%`;
  if (unit === 'minutes') return `${Math.round(v)} 分钟`;
  if (unit === 'money') return `${currency ?? ''} ${v.toFixed(2)}`.trim();
  return String(Math.round(v * 100) / 100);
}
