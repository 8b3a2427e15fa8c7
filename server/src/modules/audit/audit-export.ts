import { z } from 'zod';
import { dayRange, EXPORT_PAGE_SIZE, isDay, parseExportQuery, type ExportDef } from '../../platform/exports';
import { auditCells, auditHeader } from './audit-csv';
import type { AuditFilter, AuditQueryService } from './audit-query.service';

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
/** Epoch ms (as GET /api/audit takes), or a day `YYYY-MM-DD` in TZ_CORP (as the other exports take). */
const instant = z.string().refine((v) => /^\d{1,16}$/.test(v) || isDay(v), 'epoch ms or YYYY-MM-DD');

const query = z.object({
  actor: optional(z.string().max(64)),
  action: optional(z.string().max(64)),
  targetType: optional(z.string().max(32)),
  targetId: optional(z.string().max(191)),
  from: optional(instant),
  to: optional(instant),
});

/**
 * `GET /api/exports/audit.csv` (audit:read): the 操作日志 with the filters of GET /api/audit, newest first, read by id
 * cursor a page at a time; `from` / `to` are epoch ms, or days in TZ_CORP (`to` then includes its day). Written to
 * the log itself as `audit.export`, like GET /api/audit/export (the H5's bounded download, which stays as it was).
 */
export function auditExport(auditQuery: Pick<AuditQueryService, 'list'>, timeZone: string): ExportDef {
  const at = (v: string | undefined, end: boolean): number | undefined => {
    if (v === undefined || !isDay(v)) return v === undefined ? undefined : Number(v);
    return end ? dayRange(timeZone, undefined, v).end : dayRange(timeZone, v).start;
  };
  return {
    kind: 'audit',
    label: '操作日志',
    permission: 'audit:read',
    header: auditHeader(timeZone),
    audit: { action: 'audit.export', targetType: 'audit_log' },
    async *rows(_actor, raw) {
      const q = parseExportQuery(query, raw);
      const filter: AuditFilter = {
        actor: q.actor,
        action: q.action,
        targetType: q.targetType,
        targetId: q.targetId,
        from: at(q.from, false),
        to: at(q.to, true),
      };
      for (let before: number | undefined = undefined; ;) {
        const page = await auditQuery.list({ ...filter, before }, EXPORT_PAGE_SIZE);
        yield page.entries.map((e) => auditCells(e, timeZone));
        if (page.nextBefore === null) return;
        before = page.nextBefore;
      }
    },
  };
}
