import {
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPES,
  formatDateTime,
  isAuditAction,
  isAuditTargetType,
  isSystemActor,
  SYSTEM_ACTORS,
  type AuditEntryView,
} from '@shopcrew/shared';

/**
 * The audit log as CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads the file as
 * the system code page and Chinese turns to mojibake), RFC 4180 quoting, CRLF line ends.
 *
 * CSV injection (OWASP "CSV Injection"): a cell that starts with = + - @ (or a tab / carriage return)
 * is a formula to Excel and LibreOffice. Names, userids and JSON details come from WeCom and from
 * members, so every such cell gets a leading apostrophe: shown as text, never evaluated.
 */
export const CSV_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell: neutralised if it could be read as a formula, quoted if it must be. */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: ReadonlyArray<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Is `tz` an IANA time zone this runtime knows (e.g. Asia/Shanghai)? */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** `YYYY-MM-DD HH:mm:ss` in `timeZone` (the sv-SE locale writes dates the ISO way). */
export function formatTime(ms: number, timeZone: string): string {
  return formatDateTime(ms, 'sv-SE', timeZone);
}

/** `audit-YYYYMMDD.csv`, dated in `timeZone`. */
export function exportFilename(now: number, timeZone: string): string {
  return `audit-${formatTime(now, timeZone).slice(0, 10).replace(/-/g, '')}.csv`;
}

const HEADER = ['时间', '操作人', '操作人账号', '操作', '操作代码', '对象类型', '对象ID', '对象名称', '变更前', '变更后', '请求ID', '记录ID'];

const json = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));

/** The whole file (BOM, header, one row per entry) with times in `timeZone`. */
export function auditCsv(entries: readonly AuditEntryView[], timeZone: string): string {
  let out = CSV_BOM + csvRow([`${HEADER[0]} (${timeZone})`, ...HEADER.slice(1)]);
  for (const e of entries) {
    out += csvRow([
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
    ]);
  }
  return out;
}
