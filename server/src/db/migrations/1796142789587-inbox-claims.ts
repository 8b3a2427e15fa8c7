import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ms, str } from '../migration-helpers';

/**
 * Several inbox workers at once (issue 7): a worker claims the head rows it is about to apply by stamping them with its
 * claim token (`claimed_by`) and a short expiry (`claim_until`, the database clock in epoch ms), renewed by its
 * heartbeat while it works. Other workers skip claimed rows, and so the rest of those streams; a dead worker's claims
 * lapse within seconds. No new index: claims are taken and renewed by primary key among the stream heads.
 */
export class InboxClaims1796142789587 implements MigrationInterface {
  name = 'InboxClaims1796142789587';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('callback_inbox', [
      new TableColumn(str('claimed_by', 64, { isNullable: true })),
      new TableColumn(ms('claim_until', { default: 0 })),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('callback_inbox', 'claim_until');
    await queryRunner.dropColumn('callback_inbox', 'claimed_by');
  }
}
