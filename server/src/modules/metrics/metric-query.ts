import { In, type DataSource, type SelectQueryBuilder } from 'typeorm';
import {
  can,
  METRIC_DEFS,
  shopsWith,
  TARGET_METRICS,
  type Actor,
  type MetricKey,
  type MetricScope,
  type MetricSeries,
  type RoleKey,
  type MetricsResponse,
} from '@shopcrew/shared';
import { ForbiddenError, ValidationError } from '../../errors';
import { MetricDaily } from './metric.entity';
import { targetRows } from './targets';

/** The additive measures a metric is made of, and how it is made. */
const RECIPES: Record<MetricKey, { measures: string[]; value: (s: Record<string, number>) => number | null; money: boolean }> = {
  gmv: { measures: ['gmv'], value: (s) => s['gmv'] ?? 0, money: true },
  orders: { measures: ['orders'], value: (s) => s['orders'] ?? 0, money: false },
  aov: { measures: ['gmv', 'orders'], value: (s) => (s['orders'] ? (s['gmv'] ?? 0) / s['orders'] : null), money: true },
  units: { measures: ['units'], value: (s) => s['units'] ?? 0, money: false },
  refund_amount: { measures: ['refund_amount'], value: (s) => s['refund_amount'] ?? 0, money: true },
  refunded_orders: { measures: ['refunded_orders'], value: (s) => s['refunded_orders'] ?? 0, money: false },
  refund_rate: {
    measures: ['refunded_orders', 'shipped_orders'],
    value: (s) => (s['shipped_orders'] ? (s['refunded_orders'] ?? 0) / s['shipped_orders'] : null),
    money: false,
  },
  net_gmv: { measures: ['gmv', 'refund_amount'], value: (s) => (s['gmv'] ?? 0) - (s['refund_amount'] ?? 0), money: true },
  shipped_orders: { measures: ['shipped_orders'], value: (s) => s['shipped_orders'] ?? 0, money: false },
  on_time_rate: {
    measures: ['on_time_orders', 'shipped_orders'],
    value: (s) => (s['shipped_orders'] ? (s['on_time_orders'] ?? 0) / s['shipped_orders'] : null),
    money: false,
  },
  claimed_orders: { measures: ['claimed_orders'], value: (s) => s['claimed_orders'] ?? 0, money: false },
  claim_minutes: {
    measures: ['claim_minutes', 'claimed_orders'],
    value: (s) => (s['claimed_orders'] ? (s['claim_minutes'] ?? 0) / s['claimed_orders'] : null),
    money: false,
  },
  cases_opened: { measures: ['cases_opened'], value: (s) => s['cases_opened'] ?? 0, money: false },
  first_response_minutes: {
    measures: ['response_minutes', 'responded_cases'],
    value: (s) => (s['responded_cases'] ? (s['response_minutes'] ?? 0) / s['responded_cases'] : null),
    money: false,
  },
  resolved_cases: { measures: ['resolved_cases'], value: (s) => s['resolved_cases'] ?? 0, money: false },
  resolution_minutes: {
    measures: ['resolution_minutes', 'resolved_cases'],
    value: (s) => (s['resolved_cases'] ? (s['resolution_minutes'] ?? 0) / s['resolved_cases'] : null),
    money: false,
  },
  sla_breaches: { measures: ['sla_breaches'], value: (s) => s['sla_breaches'] ?? 0, money: false },
  checklists_completed: { measures: ['checklists_completed'], value: (s) => s['checklists_completed'] ?? 0, money: false },
  checklist_overdue: { measures: ['checklist_overdue'], value: (s) => s['checklist_overdue'] ?? 0, money: false },
};

/** Measures that are money: their rows carry a currency, and a money metric's series is one currency. */
const MONEY_MEASURES = new Set(['gmv', 'refund_amount']);

export interface MetricQueryInput {
  metric: MetricKey;
  scope: MetricScope;
  shop?: string;
  /** One member's or SKU's figures only (its scope key). */
  key?: string;
  from: string;
  to: string;
  granularity: 'day' | 'week';
  limit: number;
}

export interface Labels {
  shops(): Promise<Map<string, string>>;
  members(userids: readonly string[]): Promise<Map<string, string>>;
  /** The members a lead sees per person: their departments' and below (org.teamLedBy). */
  teamOf(userid: string): Promise<string[]>;
}

/** Roles whose metrics:read covers every member's figures; a 客服组长 (cs_lead) sees their own team's only. */
const SEES_EVERY_MEMBER: readonly RoleKey[] = ['owner', 'ops_manager', 'finance'];

/** The Monday of a day's ISO week. */
export function weekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - dow * 86_400_000).toISOString().slice(0, 10);
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 10_000) / 10_000);

/** GET /api/metrics: one metric over a range, per shop, member, SKU or for the team, from the daily rollups. */
export class MetricQuery {
  constructor(
    private readonly ds: DataSource,
    private readonly labels: Labels,
  ) {}

  async query(actor: Actor, q: MetricQueryInput): Promise<MetricsResponse> {
    const def = METRIC_DEFS[q.metric];
    if (!def.scopes.includes(q.scope))
      throw new ValidationError(`「${def.label}」没有「${q.scope}」维度 (metric ${q.metric} has no ${q.scope} scope)`, { field: 'scope' });
    if (q.from > q.to) throw new ValidationError('开始日期不能晚于结束日期 (from must not be after to)', { field: 'from' });
    if (Date.parse(q.to) - Date.parse(q.from) > 731 * 86_400_000) throw new ValidationError('一次最多查询两年 (at most two years at once)', { field: 'to' });
    if (q.shop && !can(actor, 'metrics:read', { shopId: q.shop })) throw new ForbiddenError('无权查看该店铺的数据 (no access to this shop)');
    const members = q.scope === 'member' && !actor.grants.some((g) => SEES_EVERY_MEMBER.includes(g.role)) ? await this.labels.teamOf(actor.userid) : undefined;
    return this.compute(q, shopsWith(actor, 'metrics:read'), members);
  }

  /** The figures within `scope` (the shops that may be read), for a member's query or a system check (alerts). */
  async compute(q: MetricQueryInput, scope: 'all' | readonly string[], members?: readonly string[]): Promise<MetricsResponse> {
    const def = METRIC_DEFS[q.metric];
    const recipe = RECIPES[q.metric];
    const qb = this.ds
      .getRepository(MetricDaily)
      .createQueryBuilder('m')
      .where('m.measure IN (:...measures)', { measures: recipe.measures })
      .andWhere('m.scope = :scope', { scope: q.scope === 'team' ? 'shop' : q.scope })
      .andWhere('m.day BETWEEN :from AND :to', { from: q.from, to: q.to });
    if (q.key !== undefined && q.scope !== 'shop' && q.scope !== 'team') qb.andWhere('m.scope_key = :key', { key: q.key });
    if (members) qb.andWhere('m.scope_key IN (:...members)', { members: members.length ? [...members] : [''] });
    if (q.shop) qb.andWhere('m.shop_id = :shop', { shop: q.shop });
    else if (scope !== 'all') {
      if (!scope.length) return { metric: def, scope: q.scope, granularity: q.granularity, from: q.from, to: q.to, series: [] };
      qb.andWhere({ shopId: In([...scope]) });
    }
    if ((q.scope === 'sku' || q.scope === 'member') && q.key === undefined) {
      // Thousands of SKUs over a year are a million rows: rank them by their totals in SQL, then read only the top ones.
      const keys = await this.topKeys(qb, recipe, q.limit);
      if (!keys.length) return { metric: def, scope: q.scope, granularity: q.granularity, from: q.from, to: q.to, series: [] };
      qb.andWhere('m.scope_key IN (:...topKeys)', { topKeys: keys });
    }
    const rows = await qb.getMany();
    // Series: by key (and currency, for money); buckets: by day or week; sums of each measure in each.
    const series = new Map<string, { key: string; currency: string | null; buckets: Map<string, Record<string, number>>; total: Record<string, number> }>();
    const keyOf = (r: MetricDaily) => (q.scope === 'team' ? 'all' : q.scope === 'shop' ? r.shopId : r.scopeKey);
    // Counts beside money (orders for AOV) are per currency too; for a non-money metric currencies are summed.
    for (const r of rows) {
      const currency = recipe.money ? r.currency || null : null;
      const id = `${keyOf(r)}\u0000${currency ?? ''}`;
      let s = series.get(id);
      if (!s) series.set(id, (s = { key: keyOf(r), currency, buckets: new Map(), total: {} }));
      const bucket = q.granularity === 'week' ? weekOf(r.day) : r.day;
      const b = s.buckets.get(bucket) ?? {};
      b[r.measure] = (b[r.measure] ?? 0) + r.value;
      s.buckets.set(bucket, b);
      s.total[r.measure] = (s.total[r.measure] ?? 0) + r.value;
    }
    const out: MetricSeries[] = [...series.values()].map((s) => ({
      scope: q.scope,
      key: s.key,
      label: s.key,
      currency: s.currency,
      points: [...s.buckets.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, sums]) => ({ day, value: round(recipe.value(sums)) })),
      total: round(recipe.value(s.total)),
    }));
    // A money series needs its money measure; count rows alone (orders without GMV) would make a currency-less line.
    const kept = recipe.money ? out.filter((s) => s.currency !== null && recipe.measures.some((m) => MONEY_MEASURES.has(m))) : out;
    kept.sort((a, b) => (b.total ?? -Infinity) - (a.total ?? -Infinity) || a.key.localeCompare(b.key));
    const top = kept.slice(0, q.limit);
    await this.label(top, q.scope);
    await this.targets(top, q, scope);
    return { metric: def, scope: q.scope, granularity: q.granularity, from: q.from, to: q.to, series: top };
  }

  /** The keys of the `limit` series with the largest totals, ranked exactly as the series are (per currency for money). */
  private async topKeys(qb: SelectQueryBuilder<MetricDaily>, recipe: (typeof RECIPES)[MetricKey], limit: number): Promise<string[]> {
    const sums = await qb
      .clone()
      .select('m.scope_key', 'k')
      .addSelect('m.currency', 'c')
      .addSelect('m.measure', 'measure')
      .addSelect('SUM(m.value)', 'v')
      .groupBy('m.scope_key')
      .addGroupBy('m.currency')
      .addGroupBy('m.measure')
      .getRawMany<{ k: string; c: string; measure: string; v: number | string }>();
    const totals = new Map<string, { key: string; currency: string | null; total: Record<string, number> }>();
    for (const r of sums) {
      const currency = recipe.money ? r.c || null : null;
      const id = `${r.k}\u0000${currency ?? ''}`;
      const t = totals.get(id) ?? { key: r.k, currency, total: {} };
      t.total[r.measure] = (t.total[r.measure] ?? 0) + Number(r.v);
      totals.set(id, t);
    }
    const ranked = [...totals.values()]
      .filter((t) => !recipe.money || (t.currency !== null && recipe.measures.some((m) => MONEY_MEASURES.has(m))))
      .map((t) => ({ key: t.key, value: round(recipe.value(t.total)) }))
      .sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity) || a.key.localeCompare(b.key));
    return [...new Set(ranked.slice(0, limit).map((t) => t.key))];
  }

  /** Each series' daily target, where its metric has targets: the shop's, the SKU's or the team's (summed). */
  private async targets(series: MetricSeries[], q: MetricQueryInput, scope: 'all' | readonly string[]): Promise<void> {
    if (!(TARGET_METRICS as readonly string[]).includes(q.metric) || q.scope === 'member' || !series.length) return;
    const rows = await targetRows(this.ds, { metric: q.metric, shopId: q.shop, shops: scope, sku: q.scope === 'sku' ? '*' : null });
    const sums = new Map<string, number>();
    for (const r of rows) {
      const key = q.scope === 'team' ? 'all' : q.scope === 'shop' ? r.shopId : r.sku;
      const id = `${key}\u0000${r.currency}`;
      sums.set(id, (sums.get(id) ?? 0) + r.daily);
    }
    for (const s of series) {
      const target = sums.get(`${s.key}\u0000${s.currency ?? ''}`);
      if (target !== undefined) s.target = Math.round(target * 100) / 100;
    }
  }

  private async label(series: MetricSeries[], scope: MetricScope): Promise<void> {
    if (scope === 'team') for (const s of series) s.label = '全部店铺';
    if (scope === 'shop') {
      const names = await this.labels.shops();
      for (const s of series) s.label = names.get(s.key) ?? s.key;
    }
    if (scope === 'member') {
      const names = await this.labels.members(series.map((s) => s.key));
      for (const s of series) s.label = names.get(s.key) ?? s.key;
    }
  }
}
