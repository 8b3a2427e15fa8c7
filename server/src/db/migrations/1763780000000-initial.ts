import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { ROLES } from '@shopcrew/shared';

/**
 * Initial schema: org mirror, roles, sessions, callback inbox, audit log, leases, sync runs.
 * Written with TypeORM's Table API so one migration serves MySQL and SQLite. Conventions (Ghost
 * schema.js): indexed varchars ≤ 191 characters under utf8mb4; times are epoch-ms BIGINTs.
 */
const str = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
const int = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'int', ...extra });
const ms = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'bigint', ...extra });
const text = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'text', ...extra });
const bool = (name: string, dflt: boolean): TableColumnOptions => ({ name, type: 'boolean', default: dflt });
const autoId: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };

const TABLES: Table[] = [
  new Table({
    name: 'leases',
    columns: [
      str('name', 191, { isPrimary: true }),
      text('value', { isNullable: true }),
      ms('value_expires_at', { default: 0 }),
      str('owner', 64, { isNullable: true }),
      ms('lease_until', { default: 0 }),
    ],
  }),
  new Table({
    name: 'departments',
    columns: [
      int('id', { isPrimary: true }),
      str('name', 191, { default: "''" }),
      int('parent_id', { isNullable: true }),
      ms('sort_order', { default: 0 }),
      text('leaders', { isNullable: true }),
      ms('deleted_at', { isNullable: true }),
      ms('updated_at'),
    ],
    indices: [{ name: 'idx_departments_parent', columnNames: ['parent_id'] }],
  }),
  new Table({
    name: 'members',
    columns: [
      str('userid', 64, { isPrimary: true }),
      str('name', 191, { default: "''" }),
      str('position', 191, { isNullable: true }),
      int('main_department', { isNullable: true }),
      int('wecom_status', { default: 1 }),
      bool('active', true),
      ms('deactivated_at', { isNullable: true }),
      ms('seen_at'),
      ms('updated_at'),
    ],
  }),
  new Table({
    name: 'member_departments',
    columns: [str('userid', 64, { isPrimary: true }), int('department_id', { isPrimary: true }), bool('is_leader', false)],
    indices: [{ name: 'idx_member_departments_dept', columnNames: ['department_id'] }],
  }),
  new Table({ name: 'tags', columns: [int('id', { isPrimary: true }), str('name', 191, { default: "''" })] }),
  new Table({ name: 'tag_members', columns: [int('tag_id', { isPrimary: true }), str('userid', 64, { isPrimary: true })] }),
  new Table({ name: 'tag_departments', columns: [int('tag_id', { isPrimary: true }), int('department_id', { isPrimary: true })] }),
  new Table({
    name: 'sync_runs',
    columns: [
      autoId,
      ms('started_at'),
      ms('finished_at', { isNullable: true }),
      str('status', 16),
      str('trigger_source', 32),
      text('progress', { isNullable: true }),
      text('stats', { isNullable: true }),
      text('error', { isNullable: true }),
    ],
  }),
  new Table({ name: 'roles', columns: [str('key', 32, { isPrimary: true }), str('name', 64)] }),
  new Table({
    name: 'role_bindings',
    columns: [autoId, str('role', 32), str('subject_type', 16), str('subject_id', 64), str('created_by', 64), ms('created_at')],
    uniques: [{ name: 'uq_role_binding', columnNames: ['role', 'subject_type', 'subject_id'] }],
  }),
  new Table({
    name: 'sessions',
    columns: [
      str('id_hash', 64, { isPrimary: true }),
      str('userid', 64),
      ms('created_at'),
      ms('expires_at'),
      ms('revoked_at', { isNullable: true }),
      str('user_agent', 255, { default: "''" }),
    ],
    indices: [{ name: 'idx_sessions_userid', columnNames: ['userid'] }],
  }),
  new Table({
    name: 'oauth_states',
    columns: [str('state', 64, { isPrimary: true }), str('browser_hash', 64), str('redirect', 1024), ms('expires_at'), ms('used_at', { isNullable: true })],
  }),
  new Table({
    name: 'audit_log',
    columns: [
      autoId,
      ms('at'),
      str('actor', 64),
      str('action', 64),
      str('target_type', 32),
      str('target_id', 191, { isNullable: true }),
      text('before', { isNullable: true }),
      text('after', { isNullable: true }),
      str('request_id', 64, { isNullable: true }),
    ],
    indices: [
      { name: 'idx_audit_at', columnNames: ['at'] },
      { name: 'idx_audit_target', columnNames: ['target_type', 'target_id'] },
    ],
  }),
  new Table({
    name: 'callback_inbox',
    columns: [
      autoId,
      str('dedupe_key', 191),
      str('msg_type', 32, { default: "''" }),
      str('event', 64, { default: "''" }),
      str('change_type', 64, { isNullable: true }),
      text('payload'),
      str('status', 16, { default: "'pending'" }),
      int('attempts', { default: 0 }),
      ms('next_attempt_at'),
      text('last_error', { isNullable: true }),
      ms('received_at'),
      ms('applied_at', { isNullable: true }),
    ],
    indices: [
      { name: 'uq_inbox_dedupe', columnNames: ['dedupe_key'], isUnique: true },
      { name: 'idx_inbox_status', columnNames: ['status', 'id'] },
    ],
  }),
];

export class Initial1763780000000 implements MigrationInterface {
  name = 'Initial1763780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.createTable(table, true);
    for (const role of Object.values(ROLES)) {
      await queryRunner.query('INSERT INTO roles (`key`, name) VALUES (?, ?)', [role.key, role.name]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await queryRunner.dropTable(table.name, true);
  }
}
