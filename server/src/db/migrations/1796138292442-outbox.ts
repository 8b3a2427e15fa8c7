import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { autoId, int, ms, str, text } from '../migration-helpers';

/**
 * The transactional outbox (server/src/platform/events/):
 * - outbox_events: one row per domain event, written in the transaction of the change that caused it;
 *   `fanned_out_at` is set once its deliveries exist (the index serves "not fanned out yet, oldest first").
 * - event_deliveries: one row per (event, subscriber), unique, so each subscriber takes effect once per
 *   event; claimed by a conditional UPDATE with a claim token and a lease (the index serves "due now").
 */
const TABLES: Table[] = [
  new Table({
    name: 'outbox_events',
    columns: [
      autoId(),
      str('event_id', 36),
      str('type', 64),
      text('payload'),
      str('actor', 64),
      str('request_id', 64, { isNullable: true }),
      ms('occurred_at'),
      ms('fanned_out_at', { isNullable: true }),
    ],
    indices: [
      { name: 'uq_outbox_events_event_id', columnNames: ['event_id'], isUnique: true },
      { name: 'idx_outbox_events_fan_out', columnNames: ['fanned_out_at', 'id'] },
    ],
  }),
  new Table({
    name: 'event_deliveries',
    columns: [
      autoId(),
      str('event_id', 36),
      str('subscriber', 128),
      str('status', 16, { default: "'pending'" }),
      int('attempts', { default: 0 }),
      ms('next_attempt_at'),
      str('claim_token', 64, { isNullable: true }),
      ms('lease_until', { default: 0 }),
      text('last_error', { isNullable: true }),
      ms('done_at', { isNullable: true }),
    ],
    indices: [
      { name: 'uq_event_deliveries_event_subscriber', columnNames: ['event_id', 'subscriber'], isUnique: true },
      { name: 'idx_event_deliveries_due', columnNames: ['status', 'next_attempt_at'] },
    ],
  }),
];

export class Outbox1796138292442 implements MigrationInterface {
  name = 'Outbox1796138292442';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.createTable(table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await queryRunner.dropTable(table);
  }
}
