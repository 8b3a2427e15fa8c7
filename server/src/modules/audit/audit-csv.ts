import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES, isAuditAction, isAuditTargetType, isSystemActor, SYSTEM_ACTORS, type AuditEntryView } from '@shopcrew/shared';
import { CSV_BOM, csvRow, formatTime } from '../../platform/exports';

// The audit log as CSV for Excel, through the platform's one encoder (platform/exports.ts): UTF-8 with a byte-order
// mark, RFC 4180 quoting, CRLF line ends, and a leading apostrophe on any cell Excel would read as a formula (names,
// userids and JSON details come from WeCom and from members).

/** Is `tz` an IANA time zone this runtime knows (e.g. Asia/Shanghai)? */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** `audit-YYYYMMDD.csv`, dated in `timeZone`. */
export function exportFilename(now: number, timeZone: string): string {
  return `audit-${formatTime(now, timeZone).slice(0, 10).replace(/-/g, '')}.csv`;
}

const HEADER = ['时间', '操作人', '操作人账号', '操作', '操作代码', '对象类型', '对象ID', '对象名称', '变更前', '变更后', '请求ID', '记录ID'];

const json = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));

/** The header row: the first column names the time zone of the times below it. */
export const auditHeader = (timeZone: string): string[] => [`${HEADER[0]} (${timeZone})`, ...HEADER.slice(1)];

/** One entry's cells, its time in `timeZone`. */
export function auditCells(e: AuditEntryView, timeZone: string): Array<string | number | null> {
  return [
    formatTime(e.at, timeZone),
    e.actorName ?? (isSystemActor(e.actor) ? SYSTEM_ACTORS[e.actor] : ''),
    e.actor,
    isAuditAction(e.action) ? AUDIT_ACTIONS[e.action] : e.action,
    e.action,
    isAuditTargetType(e.targetType) ? AUDIT_TARGET_TYPES[e.targetType] : e.targetType,
    e.targetId,
    e.targetName,
    json(e.before),
    json(e.after),
    e.requestId,
    e.id,
  ];
}

/** The whole file (BOM, header, one row per entry) with times in `timeZone` (GET /api/audit/export). */
export function auditCsv(entries: readonly AuditEntryView[], timeZone: string): string {
  let out = CSV_BOM + csvRow(auditHeader(timeZone));
  for (const e of entries) out += csvRow(auditCells(e, timeZone));
  return out;
}
