import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The 操作日志 screen filters the audit log by actor and by action, newest first (ORDER BY id DESC).
 * An index on each column (InnoDB appends the primary key to it, SQLite the rowid) serves both the
 * filter and the order without scanning the whole log.
 */
const INDEXES = [new TableIndex({ name: 'idx_audit_actor', columnNames: ['actor'] }), new TableIndex({ name: 'idx_audit_action', columnNames: ['action'] })];

export class AuditFilterIndexes1763800000000 implements MigrationInterface {
  name = 'AuditFilterIndexes1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const index of INDEXES) await queryRunner.createIndex('audit_log', index);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of INDEXES) await queryRunner.dropIndex('audit_log', index.name!);
  }
}
