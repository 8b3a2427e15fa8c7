/**
 * The schema is written twice, as migrations (what every database really gets) and as entities (what the code
 * reads and writes). This proves they agree: apply every migration to a fresh database, then ask TypeORM which SQL
 * `synchronize` would run to make that database match the entities — SchemaBuilder.log() returns it without running
 * it (https://typeorm.io/docs/migrations/generating/ is the same diff behind `migration:generate`). Any query at all
 * is drift: a column type, length, nullability or default, an index, a table. Fix it with a migration
 * (`npm run db:new NAME`) when the database is wrong, or in the entity when the entity is wrong.
 */
import { DataSource } from 'typeorm';
import type { MysqlConnectionOptions } from 'typeorm/driver/mysql/MysqlConnectionOptions';
import { openDatabase } from '../../server/src/db/data-source';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';

describe.each(testDatabases())('schema drift on $label', ({ kind }) => {
  let url: string;
  /** The app's own DataSource: it applies the migrations exactly as server start and `npm run db:migrate` do. */
  let app: DataSource;
  /** Reads the schema back and compares it with the entities. */
  let inspector: DataSource;

  beforeAll(async () => {
    url = await freshDatabaseUrl(kind);
    app = await openDatabase(url);
    inspector = app;
    const version = kind === 'mysql' ? (await app.query<Array<{ version: string }>>('SELECT VERSION() AS version'))[0]?.version : '';
    if (/mariadb/i.test(version ?? '')) {
      // TypeORM reads MariaDB's information_schema correctly only when told it is MariaDB (type 'mariadb'): since
      // MariaDB 10.2.7, COLUMN_DEFAULT holds the text NULL for a nullable column without a default, and the 'mysql'
      // flavour takes that for the string 'NULL', so every nullable column would be reported as changed
      // (https://github.com/typeorm/typeorm/issues/8576, https://github.com/typeorm/typeorm/issues/11237). The app
      // connects as 'mysql' (production is MySQL); only the reading side of this test switches flavour.
      inspector = new DataSource({ ...(app.options as MysqlConnectionOptions), type: 'mariadb' });
      await inspector.initialize();
    }
  });

  afterAll(async () => {
    if (inspector && inspector !== app) await inspector.destroy();
    await app?.destroy();
    await dropDatabaseUrl(url);
  });

  test('nothing is pending after the migrations', async () => {
    expect(await app.showMigrations()).toBe(false);
  });

  test('the migrated schema is exactly what the entities declare', async () => {
    const { upQueries } = await inspector.driver.createSchemaBuilder().log();
    const falsePositives = inspector === app ? new Set<string>() : await mariaDbBooleanWidthFalsePositives(inspector);
    const drift = upQueries.map((q) => q.query.trim()).filter((q) => !falsePositives.has(q));
    if (drift.length > 0) {
      throw new Error(
        `the ${kind} schema built by the migrations differs from the entities; to match them TypeORM would run:\n\n` +
          drift.map((q) => `  ${q};`).join('\n') +
          '\n\nAdd a migration (npm run db:new NAME) if the database is wrong, or correct the entity if the entity is wrong.',
      );
    }
  });

  test('every table the migrations create is mapped by an entity, and every entity has its table', async () => {
    // The schema builder only looks at tables that have an entity, so a table no entity maps (a module that forgot
    // to list its entity, a table left behind) would not show up above. On SQLite only ordinary tables count: an FTS5
    // table (the search index's search_docs_fts) is a virtual table, kept with its shadow tables (_data, _idx…) by
    // SQLite itself, and no entity can map it; PRAGMA table_list tells them apart by type ('virtual', 'shadow').
    // (MySQL's FULLTEXT index keeps its auxiliary tables out of information_schema.TABLES.)
    const rows = await app.query<Array<{ name: string }>>(
      kind === 'mysql'
        ? "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'"
        : "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    );
    const migrationsTable = app.options.migrationsTableName ?? 'migrations';
    const tables = rows.map((r) => r.name).filter((name) => name !== migrationsTable);
    expect(tables.sort()).toEqual(app.entityMetadatas.map((m) => m.tableName).sort());
  });
});

/**
 * The one known TypeORM false positive here, MariaDB only (https://github.com/typeorm/typeorm/issues/3622): a BOOLEAN
 * column is TINYINT(1) on MariaDB, TypeORM reads the display width 1 back, gives the entity's boolean no width, and so
 * reports every boolean column as changed (`CHANGE x x tinyint NOT NULL DEFAULT 1`, which would only reset the
 * display width). MySQL 8 has no display widths and TypeORM skips them there; declaring `width: 1` on the entity
 * would trade this for a real difference on MySQL 8. Since that query spells out the entity's definition, not the
 * database's, it is dropped only for a column that really is TINYINT(1) with the entity's nullability and default.
 */
async function mariaDbBooleanWidthFalsePositives(ds: DataSource): Promise<Set<string>> {
  const queries = new Set<string>();
  for (const entity of ds.entityMetadatas) {
    for (const column of entity.columns.filter((c) => c.type === 'boolean')) {
      const rows = await ds.query<Array<{ type: string; nullable: string; dflt: string | null }>>(
        'SELECT COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?',
        [entity.tableName, column.databaseName],
      );
      const row = rows[0];
      const entityDefault = ds.driver.normalizeDefault(column);
      const dbDefault = row?.dflt === null || row?.dflt === 'NULL' ? undefined : row?.dflt;
      if (row?.type !== 'tinyint(1)' || (row.nullable === 'YES') !== column.isNullable || dbDefault !== entityDefault) continue;
      const name = `\`${column.databaseName}\``;
      const definition = `tinyint ${column.isNullable ? 'NULL' : 'NOT NULL'}${entityDefault === undefined ? '' : ` DEFAULT ${entityDefault}`}`;
      queries.add(`ALTER TABLE \`${entity.tableName}\` CHANGE ${name} ${name} ${definition}`);
    }
  }
  return queries;
}
