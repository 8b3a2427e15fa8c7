import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { autoId, int, ms, str, text } from '../migration-helpers';

/**
 * The search index (server/src/platform/search/): one row per project, task, comment or attachment, with the tokens
 * it is found by. The full-text index differs by database, so this migration branches on the driver:
 * - MySQL/MariaDB: a FULLTEXT index on `tokens` (the default parser: the tokens are pre-cut ASCII words, so MariaDB's
 *   lack of the ngram parser does not matter);
 * - SQLite: an FTS5 table whose rowid is search_docs.id, written by SearchIndex in the same transaction. It keeps its
 *   own copy of the tokens (not an external-content table with triggers: TypeORM rebuilds a SQLite table to alter it,
 *   which would drop the triggers and silently corrupt the index); detail=none and columnsize=0 because it is only
 *   asked "which rows hold all these tokens"; the ascii tokenizer because every token is [a-z0-9].
 */
const FTS_SQLITE = "CREATE VIRTUAL TABLE search_docs_fts USING fts5(tokens, detail=none, columnsize=0, tokenize='ascii')";

export class SearchDocs1796164000000 implements MigrationInterface {
  name = 'SearchDocs1796164000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    await queryRunner.createTable(
      new Table({
        name: 'search_docs',
        columns: [
          autoId(),
          str('kind', 8),
          int('ref_id'),
          int('project_id'),
          int('task_id', { isNullable: true }),
          str('shop_id', 32, { isNullable: true }),
          str('title', 191),
          text('body'),
          text('tokens'),
          ms('at'),
        ],
        indices: [
          { name: 'uq_search_docs_ref', columnNames: ['kind', 'ref_id'], isUnique: true },
          { name: 'idx_search_docs_project', columnNames: ['project_id'] },
          { name: 'idx_search_docs_task', columnNames: ['task_id'] },
          { name: 'idx_search_docs_recent', columnNames: ['at', 'id'] },
          ...(mysql ? [{ name: 'idx_search_docs_tokens', columnNames: ['tokens'], isFulltext: true }] : []),
        ],
      }),
    );
    if (!mysql) await queryRunner.query(FTS_SQLITE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'mysql') await queryRunner.query('DROP TABLE search_docs_fts');
    await queryRunner.dropTable('search_docs');
  }
}
