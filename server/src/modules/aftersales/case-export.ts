import { z } from 'zod';
import type { DataSource } from 'typeorm';
import { can, CASE_STATE_ZH, CASE_STATES, shopsWith } from '@shopcrew/shared';
import { ForbiddenError } from '../../errors';
import { dayRange, EXPORT_PAGE_SIZE, formatTime, isDay, parseExportQuery, type ExportDef } from '../../platform/exports';
import type { ShopService } from '../shops/shop.service';
import { Case } from './case.entity';
import { REASON_ZH, TYPE_ZH } from './case-text';
import { NO_DEADLINE } from './sla.service';

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const day = z.string().refine(isDay, '日期格式应为 YYYY-MM-DD (a day YYYY-MM-DD)');
const query = z
  .object({ from: optional(day), to: optional(day), state: optional(z.enum(CASE_STATES)), shop: optional(z.string().max(32)) })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '开始日期不能晚于结束日期 (from must not be after to)', path: ['from'] });

export interface CaseExportDeps {
  ds: DataSource;
  shops: Pick<ShopService, 'list'>;
  namesOf: (userids: readonly string[]) => Promise<Map<string, string>>;
  /** TZ_CORP: the days of `from` / `to` and the times written. */
  timeZone: string;
}

/**
 * `GET /api/exports/cases.csv` (aftersales:read): the after-sales cases of the shops the member's roles cover, oldest
 * first, read by id a page at a time. Query: `from` / `to` (days the cases were opened, TZ_CORP, both included),
 * `state`, `shop`. 截止时间 is the earliest running deadline (empty once the case is done or when none runs).
 */
export function caseExport({ ds, shops, namesOf, timeZone }: CaseExportDeps): ExportDef {
  return {
    kind: 'cases',
    label: '售后工单',
    permission: 'aftersales:read',
    header: ['工单号', '店铺', '订单号', '退货单号', '类型', '状态', '平台状态', '原因', '退款金额', '币种', '处理人', '截止时间', '是否超时', '创建时间'],
    async *rows(actor, raw) {
      const q = parseExportQuery(query, raw);
      if (q.shop && !can(actor, 'aftersales:read', { shopId: q.shop })) throw new ForbiddenError('无权查看该店铺的售后工单 (no access to this shop)');
      const scope = shopsWith(actor, 'aftersales:read');
      if (scope !== 'all' && !scope.length) return;
      const { start, end } = dayRange(timeZone, q.from, q.to);
      const shopNames = new Map((await shops.list()).map((s) => [s.shopId, s.name]));
      let after = 0;
      for (;;) {
        const qb = ds.getRepository(Case).createQueryBuilder('c').where('c.id > :after', { after });
        if (q.shop) qb.andWhere('c.shop_id = :shop', { shop: q.shop });
        else if (scope !== 'all') qb.andWhere('c.shop_id IN (:...scope)', { scope });
        if (q.state) qb.andWhere('c.state = :state', { state: q.state });
        if (start !== undefined) qb.andWhere('c.created_at >= :start', { start });
        if (end !== undefined) qb.andWhere('c.created_at < :end', { end });
        const page = await qb.orderBy('c.id', 'ASC').limit(EXPORT_PAGE_SIZE).getMany();
        if (!page.length) return;
        const names = await namesOf([...new Set(page.map((c) => c.assignee ?? '').filter(Boolean))]);
        yield page.map((c) => [
          c.id,
          shopNames.get(c.shopId) ?? c.shopId,
          c.orderSn,
          c.returnSn,
          TYPE_ZH[c.type],
          CASE_STATE_ZH[c.state],
          c.platformStatus,
          c.reason === null ? null : (REASON_ZH[c.reason] ?? c.reason),
          c.refund,
          c.currency,
          c.assignee ? (names.get(c.assignee) ?? c.assignee) : null,
          c.open && c.dueAt < NO_DEADLINE ? formatTime(c.dueAt, timeZone) : null,
          Boolean(c.breached),
          formatTime(c.createdAt, timeZone),
        ]);
        if (page.length < EXPORT_PAGE_SIZE) return;
        after = page[page.length - 1]!.id;
      }
    },
  };
}
