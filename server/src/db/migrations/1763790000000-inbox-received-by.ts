import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * callback_inbox.received_by: which server instance's write batch stored the row. The inbox writer
 * group-commits callbacks with INSERT … IGNORE; when some rows of a batch were duplicates, this tells
 * it exactly which rows are its own, even with several instances writing in the same millisecond.
 */
export class InboxReceivedBy1763790000000 implements MigrationInterface {
  name = 'InboxReceivedBy1763790000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('callback_inbox', new TableColumn({ name: 'received_by', type: 'varchar', length: '64', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('callback_inbox', 'received_by');
  }
}
