import { z } from 'zod';
import { In, type DataSource } from 'typeorm';
import { can, shopsWith } from '@shopcrew/shared';
import { ForbiddenError } from '../../errors';
import { EXPORT_PAGE_SIZE, isDay, parseExportQuery, type ExportDef } from '../../platform/exports';
import type { OrgService } from '../org/org.service';
import type { ShopService } from '../shops/shop.service';
import { MetricDaily } from './metric.entity';

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const day = z.string().refine(isDay, '日期格式应为 YYYY-MM-DD (a day YYYY-MM-DD)');
const query = z
  .object({ from: day, to: day, shop: optional(z.string().max(32)), scope: optional(z.enum(['shop', 'member', 'sku'])) })
  .refine((q) => q.from <= q.to, { message: '开始日期不能晚于结束日期 (from must not be after to)', path: ['from'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 731 * 86_400_000, { message: '一次最多导出两年 (at most two years at once)', path: ['to'] });

const SCOPE_ZH: Record<MetricDaily['scope'], string> = { shop: '店铺', member: '成员', sku: 'SKU' };

/** The additive measures the rollup writes (rollup.ts), in the team's words. */
const MEASURE_ZH: Record<string, string> = {
  gmv: 'GMV',
  orders: '订单数',
  units: '销量（件）',
  refund_amount: '退款金额',
  refunded_orders: '退款订单数',
  shipped_orders: '已发货订单数',
  on_time_orders: '准时发货订单数',
  claimed_orders: '认领订单数',
  claim_minutes: '认领用时合计（分钟）',
  cases_opened: '新增售后工单',
  responded_cases: '首次响应工单数',
  response_minutes: '首次响应用时合计（分钟）',
  resolved_cases: '已解决工单数',
  resolution_minutes: '解决用时合计（分钟）',
  sla_breaches: '售后超时次数',
  checklists_completed: '完成清单数',
  checklist_overdue: '清单超时步骤',
};

/** metric_daily's primary key, the keyset's order. */
const KEY = [
  ['m.day', 'day'],
  ['m.shop_id', 'shopId'],
  ['m.scope', 'scope'],
  ['m.scope_key', 'scopeKey'],
  ['m.measure', 'measure'],
  ['m.currency', 'currency'],
] as const;

/** Rows after `last` in KEY order: (a > x) OR (a = x AND b > y) OR …, which both databases range-scan. */
function afterRow(last: MetricDaily): [string, Record<string, string>] {
  const params: Record<string, string> = {};
  KEY.forEach(([, prop], i) => (params[`k${i}`] = String(last[prop])));
  const terms = KEY.map((_, i) => [...KEY.slice(0, i).map(([col], j) => `${col} = :k${j}`), `${KEY[i]![0]} > :k${i}`].join(' AND '));
  return [`(${terms.map((t) => `(${t})`).join(' OR ')})`, params];
}

/**
 * `GET /api/exports/metrics.csv` (metrics:read): the daily rollups (metric_daily: one additive measure per day, shop,
 * member or SKU and currency) of the shops the member's roles cover, read by primary-key keyset a page at a time, for
 * a spreadsheet to pivot. Query: `from` / `to` (days, both included; required, at most two years), `shop`, `scope`
 * (shop / member / sku). Ratios are not rows: they are sums divided (GMV ÷ 订单数 …).
 */
export function metricExport(ds: DataSource, shops: Pick<ShopService, 'list'>, org: Pick<OrgService, 'namesOf'>): ExportDef {
  return {
    kind: 'metrics',
    label: '经营数据',
    permission: 'metrics:read',
    header: ['日期', '店铺', '维度', '维度值', '指标', '币种', '数值'],
    async *rows(actor, raw) {
      const q = parseExportQuery(query, raw);
      if (q.shop && !can(actor, 'metrics:read', { shopId: q.shop })) throw new ForbiddenError('无权查看该店铺的数据 (no access to this shop)');
      const scope = shopsWith(actor, 'metrics:read');
      if (scope !== 'all' && !scope.length) return;
      const shopNames = new Map((await shops.list()).map((s) => [s.shopId, s.name]));
      let last: MetricDaily | undefined;
      for (;;) {
        const qb = ds.getRepository(MetricDaily).createQueryBuilder('m').where('m.day BETWEEN :from AND :to', { from: q.from, to: q.to });
        if (q.shop) qb.andWhere('m.shop_id = :shop', { shop: q.shop });
        else if (scope !== 'all') qb.andWhere({ shopId: In([...scope]) });
        if (q.scope) qb.andWhere('m.scope = :scope', { scope: q.scope });
        if (last) qb.andWhere(...afterRow(last));
        for (const [col] of KEY) qb.addOrderBy(col, 'ASC');
        const page = await qb.limit(EXPORT_PAGE_SIZE).getMany();
        if (!page.length) return;
        const members = await org.namesOf([...new Set(page.filter((m) => m.scope === 'member').map((m) => m.scopeKey))]);
        yield page.map((m) => [
          m.day,
          shopNames.get(m.shopId) ?? m.shopId,
          SCOPE_ZH[m.scope] ?? m.scope,
          m.scope === 'shop' ? (shopNames.get(m.scopeKey) ?? m.scopeKey) : m.scope === 'member' ? (members.get(m.scopeKey) ?? m.scopeKey) : m.scopeKey,
          MEASURE_ZH[m.measure] ?? m.measure,
          m.currency,
          Math.round(m.value * 10_000) / 10_000,
        ]);
        if (page.length < EXPORT_PAGE_SIZE) return;
        last = page[page.length - 1];
      }
    },
  };
}
