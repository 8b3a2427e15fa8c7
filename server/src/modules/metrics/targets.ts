import { In, type DataSource } from 'typeorm';
import { z } from 'zod';
import {
  can,
  METRIC_DEFS,
  shopsWith,
  TARGET_METRICS,
  type Actor,
  type MetricTarget,
  type TargetInput,
  type TargetMetric,
  type TargetsResponse,
} from '@shopcrew/shared';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import type { UnitOfWork } from '../../platform/tx';
import { daysFrom } from './days';
import type { MetricQuery } from './metric-query';
import { MetricDaily, MetricTargetRow } from './metric.entity';

export const targetBody = z
  .object({
    shopId: z.string().regex(/^\d{1,32}$/, '店铺ID无效 (invalid shop id)'),
    sku: z.string().trim().min(1).max(64).nullable().optional(),
    metric: z.enum(TARGET_METRICS),
    daily: z.number().finite().min(0, '目标不能为负数 (a target cannot be negative)').max(1e12),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .nullable()
      .optional(),
  })
  .strict() satisfies z.ZodType<TargetInput>;

/** The targets of a metric within some shops (one, a list, or all), shop-wide or one SKU's, in a currency. */
export async function targetRows(ds: DataSource, match: TargetMatch): Promise<MetricTargetRow[]> {
  const qb = ds.getRepository(MetricTargetRow).createQueryBuilder('t').where('t.metric = :metric', { metric: match.metric });
  if (match.shopId) qb.andWhere('t.shop_id = :shop', { shop: match.shopId });
  else if (match.shops && match.shops !== 'all') {
    if (!match.shops.length) return [];
    qb.andWhere({ shopId: In([...match.shops]) });
  }
  if (match.sku === null) qb.andWhere("t.sku = ''");
  else if (match.sku === '*') qb.andWhere("t.sku <> ''");
  else if (match.sku !== undefined) qb.andWhere('t.sku = :sku', { sku: match.sku });
  if (match.currency !== undefined) qb.andWhere('t.currency = :currency', { currency: match.currency ?? '' });
  return qb.getMany();
}

export interface ShopInfo {
  shopId: string;
  name: string;
  currency: string;
}

/**
 * Which targets to add up: a shop's (or every shop in `shops`); `sku` null for the shop-wide ones, `'*'` for every SKU's,
 * a SKU for its own (absent: both); in a currency (null: counts).
 */
export interface TargetMatch {
  metric: string;
  shopId?: string | null;
  shops?: 'all' | readonly string[];
  sku?: string | null;
  currency?: string | null;
}

/**
 * Daily targets per shop, or per SKU of a shop, set by ops (automation:manage in the shop): units or GMV a day for a
 * SKU, GMV or orders a day for a shop, money in a currency (the shop's by default). One target per (shop, SKU,
 * metric): setting it again replaces it. Read with their progress over a range (done ÷ daily × days), beside the
 * figures (MetricSeries.target) and by alert lines that compare a day with its target. Progress asks the target of the
 * range's days from the first one the shop has figures on.
 */
export class TargetService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly figures: MetricQuery,
    private readonly shops: () => Promise<ShopInfo[]>,
    private readonly now: () => number,
  ) {}

  async list(actor: Actor, q: { shop?: string; from: string; to: string }): Promise<TargetsResponse> {
    if (q.from > q.to) throw new ValidationError('开始日期不能晚于结束日期 (from must not be after to)', { field: 'from' });
    if (Date.parse(q.to) - Date.parse(q.from) > 731 * 86_400_000) throw new ValidationError('一次最多查询两年 (at most two years at once)', { field: 'to' });
    if (q.shop && !can(actor, 'metrics:read', { shopId: q.shop })) throw new ForbiddenError('无权查看该店铺的数据 (no access to this shop)');
    const scope = shopsWith(actor, 'metrics:read');
    const where = q.shop ? { shopId: q.shop } : scope === 'all' ? {} : { shopId: In([...scope]) };
    if (scope !== 'all' && !scope.length) return { from: q.from, to: q.to, items: [] };
    const rows = await this.ds.getRepository(MetricTargetRow).find({ where, order: { shopId: 'ASC', sku: 'ASC', metric: 'ASC' } });
    const names = new Map((await this.shops()).map((s) => [s.shopId, s.name]));
    const items: MetricTarget[] = [];
    const firstDays = new Map<string, string>();
    for (const r of rows) {
      if (!firstDays.has(r.shopId)) firstDays.set(r.shopId, await this.firstDay(r.shopId, q.from, q.to));
      const actual = await this.actual(r, q.from, q.to);
      const expected = r.daily * daysFrom(firstDays.get(r.shopId)!, q.to).length;
      items.push({ ...this.view(r, names), progress: { actual, expected, ratio: expected > 0 ? Math.round((actual / expected) * 10_000) / 10_000 : null } });
    }
    return { from: q.from, to: q.to, items };
  }

  async set(actor: Actor, input: z.infer<typeof targetBody>, requestId?: string): Promise<MetricTarget> {
    if (!can(actor, 'automation:manage', { shopId: input.shopId })) throw new ForbiddenError('无权设置该店铺的目标 (no access to this shop)');
    const shop = (await this.shops()).find((s) => s.shopId === input.shopId);
    if (!shop) throw new ValidationError('店铺不存在 (unknown shop)', { field: 'shopId' });
    const def = METRIC_DEFS[input.metric];
    const scope = input.sku ? 'sku' : 'shop';
    if (!def.scopes.includes(scope))
      throw new ValidationError(
        input.sku
          ? `「${def.label}」不能按 SKU 设目标 (no SKU target for this metric)`
          : `「${def.label}」只能按 SKU 设目标 (this metric has SKU targets only)`,
        { field: 'metric' },
      );
    const currency = def.unit === 'money' ? (input.currency ?? shop.currency) : '';
    if (def.unit === 'money' && !currency) throw new ValidationError('金额类目标需要指定币种 (a money target needs its currency)', { field: 'currency' });
    const key = { shopId: input.shopId, sku: input.sku ?? '', metric: input.metric };
    const id = await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const before = await tx.manager.findOneBy(MetricTargetRow, key);
      const values = { ...key, currency, daily: input.daily, updatedBy: actor.userid, updatedAt: this.now() };
      let targetId = before?.id;
      if (before) await tx.manager.update(MetricTargetRow, { id: before.id }, values);
      else targetId = Number((await tx.manager.insert(MetricTargetRow, values)).identifiers[0]!['id']);
      await tx.audit({
        action: 'metrics.target_set',
        targetType: 'metric_target',
        targetId: String(targetId),
        ...(before ? { before: { daily: before.daily, currency: before.currency } } : {}),
        after: { ...key, currency, daily: input.daily },
      });
      return targetId!;
    });
    const row = await this.ds.getRepository(MetricTargetRow).findOneByOrFail({ id });
    return { ...this.view(row, new Map([[shop.shopId, shop.name]])), progress: null };
  }

  async remove(actor: Actor, id: number, requestId?: string): Promise<void> {
    const row = await this.ds.getRepository(MetricTargetRow).findOneBy({ id });
    if (!row) throw new NotFoundError('目标不存在 (target not found)');
    if (!can(actor, 'automation:manage', { shopId: row.shopId })) throw new ForbiddenError('无权删除该店铺的目标 (no access to this shop)');
    await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const gone = await tx.manager.delete(MetricTargetRow, { id });
      if (!gone.affected) throw new NotFoundError('目标不存在 (target not found)');
      await tx.audit({ action: 'metrics.target_deleted', targetType: 'metric_target', targetId: String(id), before: { ...row } });
    });
  }

  /** The daily targets that match, added up (several shops' for the team), or null when none is set. */
  async daily(match: TargetMatch): Promise<number | null> {
    const rows = await this.matching(match);
    return rows.length ? rows.reduce((a, r) => a + r.daily, 0) : null;
  }

  matching(match: TargetMatch): Promise<MetricTargetRow[]> {
    return targetRows(this.ds, match);
  }

  /**
   * The first day of the range the shop has figures on (or `from`): days before a shop sold anything are not asked to
   * meet its target (a new shop, or a range reaching back before its history).
   */
  private async firstDay(shopId: string, from: string, to: string): Promise<string> {
    const row = await this.ds
      .getRepository(MetricDaily)
      .createQueryBuilder('m')
      .select('MIN(m.day)', 'first')
      .where('m.shop_id = :shopId AND m.day BETWEEN :from AND :to', { shopId, from, to })
      .getRawOne<{ first: string | null }>();
    return row?.first ?? from;
  }

  /** What was done over the range toward one target: the shop's (or SKU's) figure, in the target's currency. */
  private async actual(r: MetricTargetRow, from: string, to: string): Promise<number> {
    const res = await this.figures.compute(
      { metric: r.metric as TargetMetric, scope: r.sku ? 'sku' : 'shop', shop: r.shopId, key: r.sku || undefined, from, to, granularity: 'day', limit: 100 },
      'all',
    );
    const series = res.series.find((s) => (r.sku ? s.key === r.sku : s.key === r.shopId) && (s.currency ?? '') === r.currency);
    return series?.total ?? 0;
  }

  private view(r: MetricTargetRow, names: Map<string, string>): Omit<MetricTarget, 'progress'> {
    return {
      id: r.id,
      shopId: r.shopId,
      shopName: names.get(r.shopId) ?? r.shopId,
      sku: r.sku || null,
      metric: r.metric as TargetMetric,
      currency: r.currency || null,
      daily: r.daily,
      updatedBy: r.updatedBy,
      updatedAt: new Date(r.updatedAt).toISOString(),
    };
  }
}
