import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Labels on orders and cases (set by hand or by an automation rule's 打标签), a JSON list of short words. */
const TAGS = new TableColumn({ name: 'tags', type: 'varchar', length: '500', default: "'[]'" });

export class OrderCaseTags1796173108194 implements MigrationInterface {
  name = 'OrderCaseTags1796173108194';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('orders', TAGS);
    await queryRunner.addColumn('cases', TAGS.clone());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('cases', 'tags');
    await queryRunner.dropColumn('orders', 'tags');
  }
}
