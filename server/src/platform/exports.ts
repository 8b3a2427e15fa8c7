import { Readable } from 'node:stream';
import type { z } from 'zod';
import { can, formatDateTime, type Actor, type Permission } from '@shopcrew/shared';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { actorOf } from '../http/context';
import type { RouteDef } from '../http/routes';
import { pathParam } from '../http/validate';
import type { Logger } from '../lib/logger';
import { startOfDayIn } from '../lib/zoned-day';
import type { UnitOfWork } from './tx';
import { UniqueKeys } from './unique';

/**
 * CSV exports for hand-off to an ERP or a spreadsheet: modules list `exports` in their index.ts, and one route,
 * `GET /api/exports/:kind.csv`, streams any of them.
 *
 *   exports: [{
 *     kind: 'orders', label: '订单', permission: 'orders:read',
 *     header: ['订单号', '店铺', …],
 *     async *rows(actor, query) {
 *       const q = parseExportQuery(schema, query);          // 422 before anything is sent
 *       for (let page = await first(q); page.length; page = await after(q, page.at(-1))) yield page.map(toCells);
 *     },
 *   }],
 *
 * The file is UTF-8 with a byte-order mark (without it Excel reads it in the system code page and Chinese turns to
 * mojibake), RFC 4180 quoting and CRLF line ends. Cells are text to a spreadsheet, never formulas: see `csvCell`.
 */

/** The byte-order mark Excel needs to read the file as UTF-8. */
export const CSV_BOM = '\uFEFF';

/** Rows a module reads per query (keyset pagination: the route streams page by page, never the whole table). */
export const EXPORT_PAGE_SIZE = 500;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV cell. CSV injection (OWASP "CSV Injection"): a text cell that starts with = + - @ (or a tab / carriage
 * return) is a formula to Excel and LibreOffice. Names, userids, buyers and reasons come from WeCom, Shopee and
 * members, so every such cell gets a leading apostrophe: shown as text, never evaluated. A number the server itself
 * computed (a JS number, e.g. -3) is no formula and stays as it is. Then RFC 4180: quoted when it holds a comma, a
 * quote or a line break, quotes doubled. null and undefined are empty; booleans are 是 / 否.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = typeof value === 'boolean' ? (value ? '是' : '否') : typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF-terminated. */
export function csvRow(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** `YYYY-MM-DD HH:mm:ss` in `timeZone` (the sv-SE locale writes dates the ISO way); '' for null. */
export function formatTime(ms: number, timeZone: string): string;
export function formatTime(ms: number | null | undefined, timeZone: string): string;
export function formatTime(ms: number | null | undefined, timeZone: string): string {
  return ms === null || ms === undefined ? '' : formatDateTime(ms, 'sv-SE', timeZone);
}

/** One kind of CSV export a module offers. */
export interface ExportDef {
  /** Unique across modules; the URL's name: `/api/exports/<kind>.csv` (lower case, digits, `_`, `-`). */
  kind: string;
  /** zh-CN name, also the file's: `<label>-<YYYYMMDD>.csv`. */
  label: string;
  /** Who may download it: the permission in at least one shop (`rows` narrows to the actor's shops). */
  permission: Permission;
  /** zh-CN column names. */
  header: readonly string[];
  /**
   * The rows, page by page (keyset-paginated in the module: one query per page, never the whole table). The route
   * reads the first page before it answers, so a bad query or a refused shop thrown before the first `yield` (use
   * `parseExportQuery`) is an ordinary 422 / 403; an error after that aborts the download.
   */
  rows(actor: Actor, query: Record<string, string>): AsyncIterable<unknown[][]>;
  /**
   * How a download is written to the audit log (it is one: a copy of the data left the app). Default: action
   * `data.export`, target type `export`, target id the kind; `after` is the query.
   */
  audit?: { action: string; targetType: string };
}

const KIND = /^[a-z][a-z0-9_-]{0,31}$/;

/** Every module's exports, in module order; filled by composeModules, served by `exportRoutes`. */
export class ExportRegistry {
  private readonly defs = new Map<string, ExportDef>();
  private readonly kinds = new UniqueKeys('export');

  add(def: ExportDef, module: string): void {
    if (!KIND.test(def.kind)) throw new Error(`export kind "${def.kind}" of module ${module}: use lower case letters, digits, _ and -`);
    if (!def.header.length) throw new Error(`export "${def.kind}" of module ${module} has no columns`);
    this.kinds.add(def.kind, `module ${module}`);
    this.defs.set(def.kind, def);
  }

  get(kind: string): ExportDef | undefined {
    return this.defs.get(kind);
  }

  all(): readonly ExportDef[] {
    return [...this.defs.values()];
  }
}

/** The query string checked with a zod schema: 422 validation_failed naming the first bad field. */
export function parseExportQuery<T extends z.ZodTypeAny>(schema: T, query: Record<string, string>): z.infer<T> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const field = first?.path.length ? `${first.path.join('.')}: ` : '';
  throw new ValidationError(first ? `${field}${first.message}` : '查询参数无效 (invalid query)', parsed.error.issues);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Is `day` a real calendar day `YYYY-MM-DD`? (for zod refinements of `from` / `to`). */
export const isDay = (day: string): boolean => DAY.test(day) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;

const dayOf = (timeZone: string, at: number) => new Intl.DateTimeFormat('sv-SE', { timeZone }).format(at);

/** The instant the calendar day `YYYY-MM-DD` begins in `timeZone`. */
export function dayStart(timeZone: string, day: string): number {
  const noonUtc = Date.parse(`${day}T12:00:00Z`);
  // Noon UTC falls on `day` itself in every zone from UTC−12 to UTC+11; a zone further east reads the next day there.
  const probe = dayOf(timeZone, noonUtc) === day ? noonUtc : noonUtc - 86_400_000;
  return startOfDayIn(timeZone, probe);
}

/** Days `from`..`to` (both included, either optional) as [start, end) epoch ms in `timeZone`. */
export function dayRange(timeZone: string, from?: string, to?: string): { start?: number; end?: number } {
  const next = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return {
    ...(from ? { start: dayStart(timeZone, from) } : {}),
    ...(to ? { end: dayStart(timeZone, next(to)) } : {}),
  };
}

/** RFC 5987 / 6266 `filename*` value: UTF-8, percent-encoded (attr-char only). */
const rfc5987 = (s: string) => encodeURIComponent(s).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `attachment; filename="orders-20250201.csv"; filename*=UTF-8''%E8%AE%A2%E5%8D%95-20250201.csv` (dated in `timeZone`). */
export function contentDisposition(def: Pick<ExportDef, 'kind' | 'label'>, now: number, timeZone: string): string {
  const date = dayOf(timeZone, now).replace(/-/g, '');
  return `attachment; filename="${def.kind}-${date}.csv"; filename*=UTF-8''${rfc5987(`${def.label}-${date}`)}.csv`;
}

/**
 * The file as chunks: BOM and header, then one chunk per page as the consumer reads (a Readable made of it pulls the
 * next page only when the client has taken the last). Stopping early (the client went away) ends the pages too.
 */
export async function* csvChunks(header: readonly string[], pages: AsyncIterable<unknown[][]>): AsyncGenerator<Buffer> {
  yield Buffer.from(CSV_BOM + csvRow(header));
  for await (const page of pages) {
    if (page.length) yield Buffer.from(page.map(csvRow).join(''));
  }
}

/** A page source whose first page was already read (the route reads it before answering). */
async function* resumed(first: IteratorResult<unknown[][]>, rest: AsyncIterator<unknown[][]>): AsyncGenerator<unknown[][]> {
  let next = first;
  try {
    while (!next.done) {
      yield next.value;
      next = await rest.next();
    }
  } finally {
    if (!next.done) await rest.return?.();
  }
}

const flat = (query: Record<string, string | string[] | undefined>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    const value = Array.isArray(v) ? v[0] : v;
    if (value !== undefined) out[k] = value;
  }
  return out;
};

export interface ExportRouteDeps {
  uow: UnitOfWork;
  logger: Logger;
  /** TZ_CORP: the file's date. */
  timeZone: string;
  now?: () => number;
}

/**
 * GET /api/exports/:kind.csv: the platform's end of the extension point. Any signed-in member reaches it; the export's
 * own permission is then asked with `can` (403), an unknown kind is 404. The first page is read before answering (a
 * bad query is a JSON error), the download is audited, then the file streams: `text/csv; charset=utf-8`, an
 * attachment named `<label>-<YYYYMMDD>.csv`, BOM, header, rows page by page.
 */
export function exportRoutes(registry: ExportRegistry, deps: ExportRouteDeps): RouteDef[] {
  const now = deps.now ?? Date.now;
  return [
    {
      method: 'get',
      path: '/api/exports/:kind.csv',
      access: 'authenticated',
      handler: async (ctx) => {
        const kind = pathParam(ctx, 'kind');
        const def = registry.get(kind);
        if (!def) throw new NotFoundError(`没有这种导出: ${kind} (unknown export)`);
        const actor = actorOf(ctx);
        if (!can(actor, def.permission)) throw new ForbiddenError(`没有权限 (permission ${def.permission} required)`, { required: def.permission });
        const query = flat(ctx.query);
        const pages = def.rows(actor, query)[Symbol.asyncIterator]();
        const first = await pages.next();
        try {
          const audit = def.audit ?? { action: 'data.export', targetType: 'export' };
          await deps.uow.run({ actor: actor.userid, requestId: ctx.state.requestId }, (tx) =>
            tx.audit({ action: audit.action, targetType: audit.targetType, targetId: def.kind, after: { kind: def.kind, query } }),
          );
        } catch (err) {
          if (!first.done) await pages.return?.();
          throw err;
        }
        const requestId = ctx.state.requestId;
        const logged = async function* () {
          try {
            yield* csvChunks(def.header, resumed(first, pages));
          } catch (err) {
            // Headers are sent: the download is aborted (the client sees a broken transfer, not a short file).
            deps.logger.error({ err, requestId, kind: def.kind }, 'export failed while streaming');
            throw err;
          }
        };
        ctx.set('Content-Disposition', contentDisposition(def, now(), deps.timeZone));
        ctx.set('Cache-Control', 'no-store');
        ctx.type = 'text/csv; charset=utf-8';
        ctx.body = Readable.from(logged(), { objectMode: false });
      },
    },
  ];
}
