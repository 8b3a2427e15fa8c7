import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * sync_runs.trigger_source holds `api:<userid>` for 立即同步, and a WeCom userid may be 64 characters
 * (https://developer.work.weixin.qq.com/document/path/90195): 32 was too narrow for MySQL, which
 * refuses the row. SQLite does not enforce VARCHAR lengths, so only MySQL needs the change.
 */
export class SyncTriggerWidth1763810000000 implements MigrationInterface {
  name = 'SyncTriggerWidth1763810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'mysql') return;
    await queryRunner.query('ALTER TABLE `sync_runs` MODIFY `trigger_source` VARCHAR(80) NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'mysql') return;
    await queryRunner.query('ALTER TABLE `sync_runs` MODIFY `trigger_source` VARCHAR(32) NOT NULL');
  }
}
