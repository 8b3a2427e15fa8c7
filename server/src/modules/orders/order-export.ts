import { z } from 'zod';
import type { DataSource } from 'typeorm';
import { can, ORDER_STATUS_ZH, ORDER_STATUSES, shopsWith } from '@shopcrew/shared';
import { ForbiddenError } from '../../errors';
import { dayRange, EXPORT_PAGE_SIZE, formatTime, isDay, parseExportQuery, type ExportDef } from '../../platform/exports';
import type { ShopService } from '../shops/shop.service';
import { Order } from './order.entity';

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const day = z.string().refine(isDay, '日期格式应为 YYYY-MM-DD (a day YYYY-MM-DD)');
const query = z
  .object({ from: optional(day), to: optional(day), status: optional(z.enum(ORDER_STATUSES)), shop: optional(z.string().max(32)) })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '开始日期不能晚于结束日期 (from must not be after to)', path: ['from'] });

export interface OrderExportDeps {
  ds: DataSource;
  shops: Pick<ShopService, 'list'>;
  namesOf: (userids: readonly string[]) => Promise<Map<string, string>>;
  /** TZ_CORP: the days of `from` / `to` and the times written. */
  timeZone: string;
}

/**
 * `GET /api/exports/orders.csv` (orders:read): the orders of the shops the member's roles cover, oldest first, read by
 * the (created_at, id) keyset a page at a time. Query: `from` / `to` (days the orders were created, TZ_CORP, both
 * included), `status` (Shopee's), `shop`. The buyer and the amount are empty where the member lacks orders:details in
 * the order's shop, as in the H5.
 */
export function orderExport({ ds, shops, namesOf, timeZone }: OrderExportDeps): ExportDef {
  return {
    kind: 'orders',
    label: '订单',
    permission: 'orders:read',
    header: ['订单号', '店铺', '状态', '买家', '币种', '金额', '件数', '认领人', '认领时间', '下单时间', '发货截止'],
    async *rows(actor, raw) {
      const q = parseExportQuery(query, raw);
      if (q.shop && !can(actor, 'orders:read', { shopId: q.shop })) throw new ForbiddenError('无权查看该店铺的订单 (no access to this shop)');
      const scope = shopsWith(actor, 'orders:read');
      if (scope !== 'all' && !scope.length) return;
      const { start, end } = dayRange(timeZone, q.from, q.to);
      const shopNames = new Map((await shops.list()).map((s) => [s.shopId, s.name]));
      let after: Order | undefined;
      for (;;) {
        const qb = ds.getRepository(Order).createQueryBuilder('o').where('1 = 1');
        if (q.shop) qb.andWhere('o.shop_id = :shop', { shop: q.shop });
        else if (scope !== 'all') qb.andWhere('o.shop_id IN (:...scope)', { scope });
        if (q.status) qb.andWhere('o.status = :status', { status: q.status });
        if (start !== undefined) qb.andWhere('o.created_at >= :start', { start });
        if (end !== undefined) qb.andWhere('o.created_at < :end', { end });
        if (after) qb.andWhere('(o.created_at > :at OR (o.created_at = :at AND o.id > :id))', { at: after.createdAt, id: after.id });
        const page = await qb.orderBy('o.created_at', 'ASC').addOrderBy('o.id', 'ASC').limit(EXPORT_PAGE_SIZE).getMany();
        if (!page.length) return;
        const names = await namesOf([...new Set(page.map((o) => o.assignee ?? '').filter(Boolean))]);
        yield page.map((o) => {
          const details = can(actor, 'orders:details', { shopId: o.shopId });
          return [
            o.orderSn,
            shopNames.get(o.shopId) ?? o.shopId,
            ORDER_STATUS_ZH[o.status] ?? o.status,
            details ? o.buyer : null,
            o.currency,
            details ? o.total : null,
            o.itemCount,
            o.assignee ? (names.get(o.assignee) ?? o.assignee) : null,
            formatTime(o.claimedAt, timeZone),
            formatTime(o.createdAt, timeZone),
            formatTime(o.shipBy, timeZone),
          ];
        });
        if (page.length < EXPORT_PAGE_SIZE) return;
        after = page[page.length - 1];
      }
    },
  };
}
