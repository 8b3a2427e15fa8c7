/**
 * `npm run db:new NAME` (scripts/db-new.ts): NAME handling, the generated migration's shape, and the append to
 * index.ts. Everything is written into a temporary folder (createMigration's `dir`, DB_NEW_DIR for the CLI).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import ts from 'typescript';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendToIndex, createMigration, kebabName, migrationClassName, MIGRATION_FILE, MIGRATIONS_DIR, UsageError } from '../../../scripts/db-new';

const ROOT = join(__dirname, '..', '..', '..');
const NOW = 1799999999999;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shopcrew-db-new-'));
  copyFileSync(join(MIGRATIONS_DIR, 'index.ts'), join(dir, 'index.ts'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('NAME', () => {
  test.each([
    ['add-order-notes', 'add-order-notes', 'AddOrderNotes'],
    ['AddOrderNotes', 'add-order-notes', 'AddOrderNotes'],
    ['addOrderNotes', 'add-order-notes', 'AddOrderNotes'],
    ['SKUIndex', 'sku-index', 'SkuIndex'],
    ['add-sku2-index', 'add-sku2-index', 'AddSku2Index'],
    ['x', 'x', 'X'],
  ])('%s → file %s, class %s<timestamp>', (name, kebab, pascal) => {
    expect(kebabName(name)).toBe(kebab);
    expect(migrationClassName(kebab, NOW)).toBe(`${pascal}${NOW}`);
    expect(MIGRATION_FILE.test(`${NOW}-${kebab}.ts`)).toBe(true);
  });

  test.each(['add_order', 'add order', '-add', 'add-', 'add--order', '2fa', 'add.notes', '../evil', '加备注', 'a'.repeat(65), 'a\nb'])('refuses %j', (name) => {
    expect(() => kebabName(name)).toThrow(UsageError);
    expect(() => kebabName(name)).toThrow(/^db:new: NAME must be letters, digits and single dashes/);
  });

  test('a missing NAME is a usage error too', () => {
    expect(() => kebabName(undefined)).toThrow(new UsageError('usage: npm run db:new NAME (letters, digits and dashes, e.g. add-order-notes)'));
    expect(() => kebabName('')).toThrow(UsageError);
  });
});

describe('createMigration', () => {
  test('writes <now>-<kebab-name>.ts with class <PascalName><now>: MigrationInterface, links and house rules', () => {
    const { file, className } = createMigration({ name: 'AddOrderNotes', dir, now: NOW });
    expect(file).toBe(join(dir, `${NOW}-add-order-notes.ts`));
    expect(className).toBe(`AddOrderNotes${NOW}`);
    const source = readFileSync(file, 'utf8');
    expect(source).toMatch(/^import type \{ MigrationInterface, QueryRunner \} from 'typeorm';\n/);
    expect(source).toContain(`export class AddOrderNotes${NOW} implements MigrationInterface {\n  name = 'AddOrderNotes${NOW}';\n`);
    expect(source).toContain('up(_queryRunner: QueryRunner): Promise<void> {');
    expect(source).toContain('down(_queryRunner: QueryRunner): Promise<void> {');
    expect(source).toContain('https://typeorm.io/docs/migrations/api/');
    expect(source).toContain('server/src/db/migration-helpers.ts');
    expect(source).toMatch(/epoch-ms BIGINTs: ms\(/);
    expect(source).toContain('utf8mb4');
    expect(source).toContain('both drivers, MySQL and SQLite');
    expect(source).toContain('test/integration/schema-drift.test.ts');
  });

  test('the generated migration type-checks under the project settings, and up()/down() reject until written', async () => {
    const { file, className } = createMigration({ name: 'add-order-notes', dir, now: NOW });
    const base = ts.readConfigFile(join(ROOT, 'tsconfig.base.json'), (p) => ts.sys.readFile(p)).config as { compilerOptions: object };
    const { options } = ts.convertCompilerOptionsFromJson(base.compilerOptions, ROOT);
    // The file sits in a temporary folder: point `typeorm` at the project's copy.
    const program = ts.createProgram([file], { ...options, noEmit: true, types: [], baseUrl: ROOT, paths: { typeorm: ['node_modules/typeorm'] } });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);

    // Only type imports, so the compiled module needs no require().
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: { ...options, module: ts.ModuleKind.CommonJS } });
    const exported: Record<string, new () => MigrationInterface> = {};
    (runInThisContext(`(function (exports) {\n${outputText}\n})`) as (exports: object) => void)(exported);
    expect(Object.keys(exported)).toEqual([className]);
    const migration = new exported[className]!();
    expect(migration.name).toBe(className);
    const queryRunner = {} as QueryRunner;
    await expect(migration.up(queryRunner)).rejects.toThrow(`${className}: up() is not written yet`);
    await expect(migration.down(queryRunner)).rejects.toThrow(`${className}: down() is not written yet`);
  });

  test('appends the import and the class to MIGRATIONS in index.ts, and leaves the rest as it was', () => {
    const parts = (source: string) => {
      const array = /export const MIGRATIONS = \[([^\]]*)\];/.exec(source)!;
      const list = array[1]!.split(',').map((s) => s.trim());
      return { rest: source.replace(array[0], 'export const MIGRATIONS = […];'), list: list.filter(Boolean) };
    };
    const before = parts(readFileSync(join(dir, 'index.ts'), 'utf8'));
    const { className } = createMigration({ name: 'add-order-notes', dir, now: NOW });
    const afterSource = readFileSync(join(dir, 'index.ts'), 'utf8');
    const after = parts(afterSource);
    const importLine = `import { ${className} } from './${NOW}-add-order-notes';`;

    expect(after.list).toEqual([...before.list, className]);
    expect(after.rest.replace(`${importLine}\n`, '')).toBe(before.rest);
    expect(
      afterSource
        .split('\n')
        .filter((line) => line.startsWith('import '))
        .pop(),
    ).toBe(importLine);
  });

  test('lays the list out as Prettier does: one line while it fits in 160 characters, else one element a line', () => {
    const short = "import { A1763780000000 } from './1763780000000-a';\n\nexport const MIGRATIONS = [A1763780000000];\n";
    expect(appendToIndex(short, 'B1763790000000', '1763790000000-b')).toBe(
      "import { A1763780000000 } from './1763780000000-a';\nimport { B1763790000000 } from './1763790000000-b';\n\nexport const MIGRATIONS = [A1763780000000, B1763790000000];\n",
    );
    const names = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot', 'Golf', 'Hotel'].map((n, i) => `${n}${1763780000000 + i}`);
    const long = appendToIndex(`export const MIGRATIONS = [${names.join(', ')}];\n`, 'India1763790000000', '1763790000000-india');
    expect(long).toBe(
      `import { India1763790000000 } from './1763790000000-india';\nexport const MIGRATIONS = [\n${[...names, 'India1763790000000'].map((n) => `  ${n},\n`).join('')}];\n`,
    );
  });

  test('the new migration and index.ts pass Prettier', () => {
    createMigration({ name: 'add-order-notes', dir, now: NOW });
    const prettier = spawnSync(join(ROOT, 'node_modules', '.bin', 'prettier'), ['--check', '--config', join(ROOT, '.prettierrc.json'), dir], {
      encoding: 'utf8',
    });
    expect(prettier.stdout + prettier.stderr).toContain('All matched files use Prettier code style!');
    expect(prettier.status).toBe(0);
  });

  test('refuses a timestamp that is not after the newest migration, writing nothing', () => {
    writeFileSync(join(dir, `${NOW}-newest.ts`), '');
    const index = readFileSync(join(dir, 'index.ts'), 'utf8');
    expect(() => createMigration({ name: 'later', dir, now: NOW })).toThrow(/is not before now/);
    expect(readdirSync(dir).sort()).toEqual([`${NOW}-newest.ts`, 'index.ts']);
    expect(readFileSync(join(dir, 'index.ts'), 'utf8')).toBe(index);
  });

  test('writes nothing when index.ts has no MIGRATIONS list', () => {
    writeFileSync(join(dir, 'index.ts'), 'export {};\n');
    expect(() => createMigration({ name: 'add-order-notes', dir, now: NOW })).toThrow(/no `export const MIGRATIONS/);
    expect(readdirSync(dir)).toEqual(['index.ts']);
  });
});

describe('the CLI', () => {
  const run = (...args: string[]) =>
    spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['--tsconfig', join(ROOT, 'tsconfig.json'), join(ROOT, 'scripts', 'db-new.ts'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, DB_NEW_DIR: dir },
    });

  test('a bad NAME: exit 2, one line on stderr, nothing written', () => {
    const result = run('add_order_notes');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'db:new: NAME must be letters, digits and single dashes, start with a letter and be at most 64 characters, e.g. add-order-notes (got "add_order_notes")\n',
    );
    expect(result.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['index.ts']);
  });

  test('a good NAME: exit 0, the migration is in DB_NEW_DIR and in its index.ts', () => {
    const result = run('add-order-notes');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const created = readdirSync(dir).filter((f) => f !== 'index.ts');
    expect(created).toHaveLength(1);
    const [, timestamp] = MIGRATION_FILE.exec(created[0]!)!;
    expect(created[0]).toBe(`${timestamp}-add-order-notes.ts`);
    expect(result.stdout).toBe(`created ${join(dir, created[0]!)} (AddOrderNotes${timestamp}), added to MIGRATIONS in index.ts\n`);
    expect(readFileSync(join(dir, 'index.ts'), 'utf8')).toContain(`  AddOrderNotes${timestamp},\n];`);
    expect(existsSync(join(MIGRATIONS_DIR, created[0]!))).toBe(false);
  });
});
