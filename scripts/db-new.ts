/**
 * npm run db:new NAME — start a new migration.
 *
 * Writes server/src/db/migrations/<Date.now()>-<kebab-name>.ts with a class <PascalName><timestamp> (TypeORM orders
 * migrations by the 13-digit timestamp that ends the name) and appends it to MIGRATIONS in that folder's index.ts.
 * NAME is letters, digits and dashes, starting with a letter: `add-order-notes` or `AddOrderNotes` give
 * 1763900000000-add-order-notes.ts with AddOrderNotes1763900000000. A bad NAME exits 2 with one line on stderr.
 *
 * The new migration's up() and down() reject until they are written, so an unfinished one is never recorded as
 * applied. test/unit/server/migrations.test.ts checks the folder against index.ts; the schema-drift integration
 * test checks the migrated schema against the entities.
 *
 * DB_NEW_DIR overrides the target folder (tests write into a temporary one).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const MIGRATIONS_DIR = resolve(__dirname, '..', 'server', 'src', 'db', 'migrations');

/** A migration file: `<13-digit epoch ms>-<kebab-name>.ts`. */
export const MIGRATION_FILE = /^(\d{13})-([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\.ts$/;

const NAME = /^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$/;
const MAX_NAME_LENGTH = 64;
const PRINT_WIDTH = 160; // .prettierrc.json

/** A NAME the user got wrong: the CLI prints the message as one line and exits 2. */
export class UsageError extends Error {}

/** `AddOrderNotes`, `addOrderNotes` or `add-order-notes` → `add-order-notes`; anything else is a UsageError. */
export function kebabName(raw: string | undefined): string {
  if (raw === undefined || raw === '') throw new UsageError('usage: npm run db:new NAME (letters, digits and dashes, e.g. add-order-notes)');
  if (!NAME.test(raw) || raw.length > MAX_NAME_LENGTH) {
    throw new UsageError(
      `db:new: NAME must be letters, digits and single dashes, start with a letter and be at most ${MAX_NAME_LENGTH} characters, e.g. add-order-notes (got ${JSON.stringify(raw)})`,
    );
  }
  return raw
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** `add-order-notes`, 1763900000000 → `AddOrderNotes1763900000000`. */
export function migrationClassName(kebab: string, timestamp: number): string {
  const pascal = kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `${pascal}${timestamp}`;
}

/** The class name a migration file must export: `1763900000000-add-order-notes.ts` → `AddOrderNotes1763900000000`. */
export function classNameForFile(file: string): string {
  const match = MIGRATION_FILE.exec(file);
  if (!match) throw new Error(`${file} is not named <13-digit timestamp>-<kebab-name>.ts`);
  return migrationClassName(match[2]!, Number(match[1]));
}

export function renderMigration(className: string): string {
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TODO: what this migration changes, and why.
 */
export class ${className} implements MigrationInterface {
  name = '${className}';

  up(_queryRunner: QueryRunner): Promise<void> {
    // Make this \`async up(queryRunner: QueryRunner)\` and write the change with TypeORM's QueryRunner API
    // (https://typeorm.io/docs/migrations/api/): createTable, addColumn, changeColumn, createIndex… with Table, TableColumn
    // and TableIndex, so that one migration runs on both drivers. House rules (server/src/db/migration-helpers.ts):
    // - times are epoch-ms BIGINTs: ms('paid_at'); strings str(name, length), at most 191 when indexed; int(), text(), bool();
    // - MySQL is utf8mb4 throughout: tables take the database's charset, so never set a charset or collation;
    // - both drivers, MySQL and SQLite: no SQL only one of them speaks; a change that really is driver-specific branches
    //   on queryRunner.connection.options.type ('mysql' | 'better-sqlite3') and handles both;
    // - name indexes idx_<table>_<what> (uq_… when unique) and declare the same index on the entity;
    // - then run test/integration/schema-drift.test.ts: the migrated schema must be exactly what the entities declare.
    return Promise.reject(new Error(\`\${this.name}: up() is not written yet\`));
  }

  down(_queryRunner: QueryRunner): Promise<void> {
    // Undo exactly what up() did, in reverse order (dropIndex, dropColumn, dropTable…), on both drivers.
    return Promise.reject(new Error(\`\${this.name}: down() is not written yet\`));
  }
}
`;
}

/**
 * index.ts with `className` imported from `./<fileBase>` and appended to MIGRATIONS, laid out as Prettier would
 * (one line when it fits in the print width, else one element a line).
 */
export function appendToIndex(source: string, className: string, fileBase: string): string {
  const array = /export const MIGRATIONS = \[([^\]]*)\];/.exec(source);
  if (!array) throw new Error('index.ts has no `export const MIGRATIONS = [...];`');
  const names = array[1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  names.push(className);
  const oneLine = `export const MIGRATIONS = [${names.join(', ')}];`;
  const list = oneLine.length <= PRINT_WIDTH ? oneLine : `export const MIGRATIONS = [\n${names.map((n) => `  ${n},\n`).join('')}];`;
  const withList = source.slice(0, array.index) + list + source.slice(array.index + array[0].length);

  const importLine = `import { ${className} } from './${fileBase}';\n`;
  const imports = [...withList.matchAll(/^import .* from '\.\/\d{13}-[^']+';\n/gm)];
  const last = imports[imports.length - 1];
  const at = last ? last.index + last[0].length : 0;
  return withList.slice(0, at) + importLine + withList.slice(at);
}

export interface CreatedMigration {
  file: string;
  className: string;
}

/** Write the new migration and the updated index.ts into `dir`; nothing is written when anything is wrong. */
export function createMigration(opts: { name: string | undefined; dir?: string; now?: number }): CreatedMigration {
  const kebab = kebabName(opts.name);
  const dir = opts.dir ?? MIGRATIONS_DIR;
  const now = opts.now ?? Date.now();
  const indexPath = join(dir, 'index.ts');
  if (!existsSync(indexPath)) throw new Error(`${indexPath} does not exist`);

  const newest = Math.max(0, ...readdirSync(dir).map((f) => Number(MIGRATION_FILE.exec(f)?.[1] ?? 0)));
  if (now <= newest) throw new Error(`the newest migration's timestamp ${newest} is not before now (${now}): is the clock right?`);

  const fileBase = `${now}-${kebab}`;
  const className = migrationClassName(kebab, now);
  const index = appendToIndex(readFileSync(indexPath, 'utf8'), className, fileBase);
  const file = join(dir, `${fileBase}.ts`);
  writeFileSync(file, renderMigration(className), { flag: 'wx' });
  writeFileSync(indexPath, index);
  return { file, className };
}

function main(): void {
  const args = process.argv.slice(2);
  try {
    if (args.length > 1) throw new UsageError(`db:new: one NAME expected, got ${args.length} arguments (${JSON.stringify(args.join(' '))})`);
    const { file, className } = createMigration({ name: args[0], dir: process.env.DB_NEW_DIR || undefined });
    process.stdout.write(`created ${file} (${className}), added to MIGRATIONS in index.ts\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  }
}

if (require.main === module) main();
