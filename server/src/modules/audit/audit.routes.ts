import { AUDIT_EXPORT_MAX_ROWS } from '@shopcrew/shared';
import { z } from 'zod';
import { ValidationError } from '../../errors';
import type { RouteDef } from '../../http/routes';
import type { UnitOfWork } from '../../platform/tx';
import { auditCsv, exportFilename, isTimeZone } from './audit-csv';
import type { AuditFilter, AuditQueryService } from './audit-query.service';

/** An empty parameter (`?actor=`, what a cleared form field sends) means "no filter". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const epochMs = z.coerce.number().int().min(0).max(8.64e15);

const filterShape = {
  actor: optional(z.string().max(64)),
  action: optional(z.string().max(64)),
  targetType: optional(z.string().max(32)),
  targetId: optional(z.string().max(191)),
  from: optional(epochMs),
  to: optional(epochMs),
  before: optional(z.coerce.number().int().positive()),
};
const fromBeforeTo = (f: { from?: number; to?: number }) => f.from === undefined || f.to === undefined || f.from <= f.to;

const listQuery = z
  .object({ ...filterShape, limit: optional(z.coerce.number().int().min(1).max(200)) })
  .refine(fromBeforeTo, { message: 'from 不能晚于 to', path: ['from'] });
const exportQuery = z
  .object({ ...filterShape, tz: optional(z.string().max(64).refine(isTimeZone, '未知时区')) })
  .refine(fromBeforeTo, { message: 'from 不能晚于 to', path: ['from'] });

function parse<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))].filter(Boolean).join(', ');
    throw new ValidationError(`查询参数无效${fields ? `: ${fields}` : ''} (from/to are epoch milliseconds, limit 1–200)`, parsed.error.issues);
  }
  return parsed.data;
}

const filterOf = (q: AuditFilter): AuditFilter => ({
  actor: q.actor,
  action: q.action,
  targetType: q.targetType,
  targetId: q.targetId,
  from: q.from,
  to: q.to,
  before: q.before,
});

export function auditRoutes(uow: UnitOfWork, query: AuditQueryService, now: () => number = Date.now): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/audit',
      access: 'audit:read',
      handler: async (ctx) => {
        const q = parse(listQuery, ctx.query);
        ctx.body = await query.list(filterOf(q), q.limit ?? 50);
      },
    },
    {
      method: 'get',
      path: '/api/audit/export',
      access: 'audit:read',
      handler: async (ctx) => {
        const q = parse(exportQuery, ctx.query);
        const timeZone = q.tz ?? 'Asia/Shanghai';
        const filter = filterOf(q);
        const { entries, truncated } = await query.exportRows(filter, AUDIT_EXPORT_MAX_ROWS);
        // Who took a copy of the log, and of what, is itself worth knowing.
        await uow.run({ actor: ctx.state.userid!, requestId: ctx.state.requestId }, (tx) =>
          tx.audit({ action: 'audit.export', targetType: 'audit_log', after: { filter, rows: entries.length, truncated } }),
        );
        ctx.set('Content-Disposition', `attachment; filename="${exportFilename(now(), timeZone)}"`);
        ctx.set('Cache-Control', 'no-store');
        ctx.set('X-Export-Rows', String(entries.length));
        ctx.set('X-Export-Truncated', truncated ? '1' : '0');
        ctx.type = 'text/csv; charset=utf-8';
        ctx.body = auditCsv(entries, timeZone);
      },
    },
  ];
}
