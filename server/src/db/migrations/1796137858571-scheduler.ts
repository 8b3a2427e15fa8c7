import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { autoId, int, ms, str, text } from '../migration-helpers';

/**
 * The scheduler's tables (server/src/platform/scheduler/):
 * - scheduled_job_runs: one row per cron occurrence an instance claimed. The unique index on (job_key,
 *   occurrence_at) is the exactly-once rule: of several instances inserting the same occurrence, one wins.
 * - scheduled_timers: one-shot timers keyed `<kind>:<id>`, claimed by a conditional UPDATE; the index serves
 *   the "due now" poll (status + next_attempt_at).
 */
const TABLES: Table[] = [
  new Table({
    name: 'scheduled_job_runs',
    columns: [
      autoId(),
      str('job_key', 191),
      ms('occurrence_at'),
      str('status', 16),
      str('owner', 64, { isNullable: true }),
      ms('started_at', { isNullable: true }),
      ms('finished_at', { isNullable: true }),
      ms('lease_until', { default: 0 }),
      text('error', { isNullable: true }),
    ],
    indices: [{ name: 'uq_scheduled_job_runs_occurrence', columnNames: ['job_key', 'occurrence_at'], isUnique: true }],
  }),
  new Table({
    name: 'scheduled_timers',
    columns: [
      str('timer_key', 191, { isPrimary: true }),
      str('kind', 64),
      text('payload', { isNullable: true }),
      ms('fire_at'),
      ms('next_attempt_at'),
      str('status', 16, { default: "'pending'" }),
      int('attempts', { default: 0 }),
      text('last_error', { isNullable: true }),
      str('claim_token', 64, { isNullable: true }),
      ms('lease_until', { default: 0 }),
      ms('created_at'),
      ms('updated_at'),
      ms('fired_at', { isNullable: true }),
    ],
    indices: [{ name: 'idx_scheduled_timers_due', columnNames: ['status', 'next_attempt_at'] }],
  }),
];

export class Scheduler1796137858571 implements MigrationInterface {
  name = 'Scheduler1796137858571';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.createTable(table, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await queryRunner.dropTable(table.name, true);
  }
}
