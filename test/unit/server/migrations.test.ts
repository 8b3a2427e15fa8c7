/**
 * server/src/db/migrations/index.ts lists the migrations by hand: a static list works the same under ts-jest, tsx and
 * a compiled build, where reading the folder at run time would not. This test makes that list impossible to get
 * wrong. The folder holds index.ts and `<13-digit timestamp>-<kebab-name>.ts` files only; each exports one class,
 * `<PascalName><timestamp>`, whose `name` is that class name (TypeORM records a migration by `name` and orders by its
 * last 13 digits); and MIGRATIONS holds exactly those classes, in timestamp order. `npm run db:new NAME` writes
 * files that pass.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MigrationInterface } from 'typeorm';
import { MIGRATIONS } from '../../../server/src/db/migrations';
import { MIGRATION_FILE, MIGRATIONS_DIR, classNameForFile } from '../../../scripts/db-new';

const timestampOf = (file: string): number => Number(MIGRATION_FILE.exec(file)?.[1]);
const files = readdirSync(MIGRATIONS_DIR).filter((f) => f !== 'index.ts');
const migrationFiles = files.filter((f) => MIGRATION_FILE.test(f)).sort((a, b) => timestampOf(a) - timestampOf(b));

test('the folder holds index.ts and <13-digit timestamp>-<kebab-name>.ts migrations only', () => {
  expect(files.filter((f) => !MIGRATION_FILE.test(f))).toEqual([]);
  expect(migrationFiles.length).toBeGreaterThan(0);
});

test('no two migrations share a timestamp', () => {
  const timestamps = migrationFiles.map(timestampOf);
  expect(timestamps.filter((t, i) => timestamps.indexOf(t) !== i)).toEqual([]);
});

test('MIGRATIONS lists every migration file once, in timestamp order', () => {
  expect(MIGRATIONS.map((m) => m.name)).toEqual(migrationFiles.map(classNameForFile));
});

describe.each(migrationFiles.map((file, position) => ({ file, position, className: classNameForFile(file) })))('$file', ({ file, position, className }) => {
  test(`exports one class, ${className}, the one at position ${position} of MIGRATIONS`, () => {
    const exported = jest.requireActual<Record<string, unknown>>(join(MIGRATIONS_DIR, file));
    expect(Object.keys(exported)).toEqual([className]);
    expect(MIGRATIONS[position]).toBe(exported[className]);
  });

  test(`its name is ${className} and it has up() and down()`, () => {
    const Migration = jest.requireActual<Record<string, new () => MigrationInterface>>(join(MIGRATIONS_DIR, file))[className]!;
    const migration = new Migration();
    expect(migration.name).toBe(className);
    expect(typeof migration.up).toBe('function');
    expect(typeof migration.down).toBe('function');
  });
});
