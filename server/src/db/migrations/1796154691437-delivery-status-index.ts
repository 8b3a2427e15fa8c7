import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Pending deliveries by id: the delivery workers look for stream heads in windows of the oldest pending rows
 * (platform/stream-claims.ts), as the inbox does with idx_inbox_status.
 */
const INDEX = new TableIndex({ name: 'idx_notification_deliveries_status', columnNames: ['status', 'id'] });

export class DeliveryStatusIndex1796154691437 implements MigrationInterface {
  name = 'DeliveryStatusIndex1796154691437';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('notification_deliveries', INDEX);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notification_deliveries', INDEX.name!);
  }
}
