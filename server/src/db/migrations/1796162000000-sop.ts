import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { autoId, int, ms, str, text } from '../migration-helpers';

/** SOP checklists: templates and their versions, rules, runs and steps, evidence files, and handovers. */
const TABLES = [
  new Table({
    name: 'sop_templates',
    columns: [
      autoId(),
      str('seed_key', 64, { isNullable: true }),
      str('name', 100),
      str('category', 16),
      str('description', 500, { default: "''" }),
      int('current_version'),
      str('created_by', 64),
      ms('created_at'),
      ms('updated_at'),
    ],
    indices: [{ name: 'uq_sop_templates_seed', columnNames: ['seed_key'], isUnique: true }],
  }),
  new Table({
    name: 'sop_template_versions',
    columns: [autoId(), int('template_id'), int('version'), text('steps'), str('published_by', 64), ms('published_at')],
    indices: [{ name: 'uq_sop_template_versions', columnNames: ['template_id', 'version'], isUnique: true }],
  }),
  new Table({
    name: 'sop_rules',
    columns: [
      autoId(),
      int('template_id'),
      str('trigger', 24),
      str('shop_id', 32, { isNullable: true }),
      str('order_status', 32, { isNullable: true }),
      str('case_type', 16, { isNullable: true }),
      int('enabled', { default: 1 }),
      str('created_by', 64),
      ms('created_at'),
    ],
    indices: [{ name: 'idx_sop_rules_trigger', columnNames: ['trigger', 'enabled'] }],
  }),
  new Table({
    name: 'sop_runs',
    columns: [
      autoId(),
      str('run_key', 191, { isNullable: true }),
      int('template_id'),
      int('version'),
      str('template_name', 100),
      str('category', 16),
      str('subject_type', 16, { isNullable: true }),
      str('subject_id', 64, { isNullable: true }),
      str('subject_label', 191, { isNullable: true }),
      str('shop_id', 32, { isNullable: true }),
      str('state', 16),
      int('rule_id', { isNullable: true }),
      str('started_by', 64),
      ms('started_at'),
      ms('completed_at', { isNullable: true }),
    ],
    indices: [
      { name: 'uq_sop_runs_key', columnNames: ['run_key'], isUnique: true },
      { name: 'idx_sop_runs_state', columnNames: ['state', 'id'] },
      { name: 'idx_sop_runs_subject', columnNames: ['subject_type', 'subject_id'] },
    ],
  }),
  new Table({
    name: 'sop_run_steps',
    columns: [
      autoId(),
      int('run_id'),
      int('idx'),
      str('title', 100),
      str('description', 1000, { default: "''" }),
      str('assignee_kind', 24),
      str('assignee', 64, { isNullable: true }),
      str('role', 24, { isNullable: true }),
      str('evidence', 8),
      int('evidence_required', { default: 0 }),
      ms('due_at', { isNullable: true }),
      int('overdue_notified', { default: 0 }),
      str('state', 8),
      str('done_by', 64, { isNullable: true }),
      ms('done_at', { isNullable: true }),
      str('reason', 500, { isNullable: true }),
      text('proof', { isNullable: true }),
    ],
    indices: [
      { name: 'idx_sop_run_steps_run', columnNames: ['run_id', 'idx'] },
      { name: 'idx_sop_run_steps_assignee', columnNames: ['assignee', 'state'] },
      { name: 'idx_sop_run_steps_due', columnNames: ['state', 'overdue_notified', 'due_at'] },
    ],
  }),
  new Table({
    name: 'sop_files',
    columns: [autoId(), str('storage_key', 191), str('name', 191), str('mime', 32), int('size'), str('uploaded_by', 64), ms('uploaded_at')],
  }),
  new Table({
    name: 'handovers',
    columns: [
      autoId(),
      str('event_id', 64),
      str('userid', 64),
      str('reason', 8),
      str('lead', 64, { isNullable: true }),
      text('items'),
      int('run_id', { isNullable: true }),
      ms('at'),
    ],
    indices: [
      { name: 'uq_handovers_event', columnNames: ['event_id'], isUnique: true },
      { name: 'idx_handovers_member', columnNames: ['userid', 'id'] },
    ],
  }),
];

export class Sop1796162000000 implements MigrationInterface {
  name = 'Sop1796162000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.createTable(table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await queryRunner.dropTable(table);
  }
}
