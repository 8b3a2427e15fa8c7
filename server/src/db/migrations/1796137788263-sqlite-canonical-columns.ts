import type { MigrationInterface, QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * SQLite only: make the tables of the first migrations say what the entities say, as found by
 * test/integration/schema-drift.test.ts. MySQL already matches and is left alone.
 *
 * - sync_runs.trigger_source VARCHAR(32) → VARCHAR(80): 1763810000000-sync-trigger-width.ts widened it only on MySQL
 *   (SQLite does not enforce the length), so a SQLite database still declared 32 while the entity says 80.
 * - INT → INTEGER: the initial migration declared `int`; SQLite keeps a declared type as written, and TypeORM's
 *   spelling for the entities' `int` columns is `integer`. Same affinity for the values, but departments.id and
 *   tags.id become what an INTEGER PRIMARY KEY is on SQLite, an alias of the rowid (no separate key index).
 * - BOOLEAN defaults `true`/`false` → 1/0, the form SQLite reports back for what TypeORM writes (members.active,
 *   member_departments.is_leader). Same stored value.
 *
 * SQLite cannot alter a column in place: queryRunner.changeColumns rebuilds each table once (new table, copy the
 * rows, drop, rename, recreate its indexes) inside this migration's transaction.
 */
type Patch = Partial<Pick<TableColumnOptions, 'type' | 'length' | 'default'>>;

const INTEGER: [Patch, Patch] = [{ type: 'integer' }, { type: 'int' }];
const CHANGES: Record<string, Record<string, [up: Patch, down: Patch]>> = {
  departments: { id: INTEGER, parent_id: INTEGER },
  members: { main_department: INTEGER, wecom_status: INTEGER, active: [{ default: '1' }, { default: 'true' }] },
  member_departments: { department_id: INTEGER, is_leader: [{ default: '0' }, { default: 'false' }] },
  tags: { id: INTEGER },
  tag_members: { tag_id: INTEGER },
  tag_departments: { tag_id: INTEGER, department_id: INTEGER },
  callback_inbox: { attempts: INTEGER },
  sync_runs: { trigger_source: [{ length: '80' }, { length: '32' }] },
};

async function apply(queryRunner: QueryRunner, direction: 0 | 1): Promise<void> {
  if (queryRunner.connection.options.type !== 'better-sqlite3') return;
  for (const [tableName, columns] of Object.entries(CHANGES)) {
    const table = await queryRunner.getTable(tableName);
    if (!table) throw new Error(`${tableName} is missing`);
    const changes = Object.entries(columns).map(([columnName, patches]) => {
      const oldColumn = table.findColumnByName(columnName);
      if (!oldColumn) throw new Error(`${tableName}.${columnName} is missing`);
      const newColumn = oldColumn.clone();
      Object.assign(newColumn, patches[direction]);
      return { oldColumn, newColumn };
    });
    await queryRunner.changeColumns(table, changes);
  }
}

export class SqliteCanonicalColumns1796137788263 implements MigrationInterface {
  name = 'SqliteCanonicalColumns1796137788263';

  async up(queryRunner: QueryRunner): Promise<void> {
    await apply(queryRunner, 0);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await apply(queryRunner, 1);
  }
}
