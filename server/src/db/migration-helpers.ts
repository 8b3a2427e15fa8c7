import type { TableColumnOptions } from 'typeorm';

/**
 * Column helpers for migrations: the house rules of 1763780000000-initial.ts, importable (`npm run db:new` points here).
 * Use them with TypeORM's QueryRunner API (https://typeorm.io/docs/migrations/api/), e.g.
 * `queryRunner.addColumn('orders', new TableColumn(ms('paid_at', { isNullable: true })))`.
 *
 * - Times are epoch milliseconds in a BIGINT: `ms()`; the entity reads them with the `epochMs` transformer (columns.ts).
 * - Strings are VARCHARs with an explicit length: `str()`. An indexed one is at most 191 characters (utf8mb4 takes up to
 *   4 bytes a character, and 191 × 4 fits InnoDB's 767-byte index prefix on older row formats). Tables get the
 *   database's utf8mb4: never set a charset or collation on a table or column.
 * - `int()` declares INTEGER and `bool()` writes its default as 1/0. MySQL stores INTEGER as INT and the default of a
 *   BOOLEAN (TINYINT(1)) as 1/0 either way, but SQLite keeps a column's declared type and default as written, and
 *   TypeORM compares them with its own spelling (`integer`, `1`); the initial migration's `int`/`true` are what
 *   1796137788263-sqlite-canonical-columns.ts had to rebuild.
 * - Defaults are SQL: a string default is quoted (`{ default: "'pending'" }`), a number is not.
 *
 * Every migration that calls a helper calls it again on each fresh database, so a helper must keep producing the
 * same definition: add a new helper rather than change what an existing one returns.
 */
export const str = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
export const int = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'integer', ...extra });
export const ms = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'bigint', ...extra });
export const text = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'text', ...extra });
export const bool = (name: string, dflt: boolean): TableColumnOptions => ({ name, type: 'boolean', default: dflt ? 1 : 0 });
/** An auto-increment integer primary key `id` (INTEGER PRIMARY KEY AUTOINCREMENT on SQLite, INT AUTO_INCREMENT on MySQL). */
export const autoId = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
