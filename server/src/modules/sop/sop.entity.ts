import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { EvidenceType, HandoverItem, RoleKey, SopCategory, SopEvidence, SopRunState, SopStepSpec, SopStepState, SopTrigger } from '@shopcrew/shared';
import { epochMs, jsonText } from '../../db/columns';

/** A checklist template; its steps live in versions (editing publishes a new one). `seedKey` marks the seeded SOPs. */
@Entity('sop_templates')
export class SopTemplate {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('uq_sop_templates_seed', { unique: true })
  @Column({ name: 'seed_key', type: 'varchar', length: 64, nullable: true })
  seedKey!: string | null;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  category!: SopCategory;

  @Column({ type: 'varchar', length: 500, default: '' })
  description!: string;

  @Column({ name: 'current_version', type: 'int' })
  currentVersion!: number;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;
}

/** One published version of a template's steps; never changed once written, so a running checklist keeps it. */
@Entity('sop_template_versions')
@Index('uq_sop_template_versions', ['templateId', 'version'], { unique: true })
export class SopTemplateVersion {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'template_id', type: 'int' })
  templateId!: number;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'text', transformer: jsonText })
  steps!: SopStepSpec[];

  @Column({ name: 'published_by', type: 'varchar', length: 64 })
  publishedBy!: string;

  @Column({ name: 'published_at', type: 'bigint', transformer: epochMs })
  publishedAt!: number;
}

/** When `trigger` fires and the conditions hold (null = any), a run of the template's current version starts. */
@Entity('sop_rules')
@Index('idx_sop_rules_trigger', ['trigger', 'enabled'])
export class SopRuleRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'template_id', type: 'int' })
  templateId!: number;

  @Column({ type: 'varchar', length: 24 })
  trigger!: SopTrigger;

  @Column({ name: 'shop_id', type: 'varchar', length: 32, nullable: true })
  shopId!: string | null;

  @Column({ name: 'order_status', type: 'varchar', length: 32, nullable: true })
  orderStatus!: string | null;

  @Column({ name: 'case_type', type: 'varchar', length: 16, nullable: true })
  caseType!: string | null;

  @Column({ type: 'int', default: 1 })
  enabled!: number;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;
}

/**
 * One checklist being worked through, pinned to a template version. `runKey` (template:version:subject) is unique, so
 * a trigger firing twice for the same subject starts one run; runs on nothing in particular have no key.
 */
@Entity('sop_runs')
@Index('idx_sop_runs_state', ['state', 'id'])
@Index('idx_sop_runs_subject', ['subjectType', 'subjectId'])
export class SopRun {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('uq_sop_runs_key', { unique: true })
  @Column({ name: 'run_key', type: 'varchar', length: 191, nullable: true })
  runKey!: string | null;

  @Column({ name: 'template_id', type: 'int' })
  templateId!: number;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'template_name', type: 'varchar', length: 100 })
  templateName!: string;

  @Column({ type: 'varchar', length: 16 })
  category!: SopCategory;

  @Column({ name: 'subject_type', type: 'varchar', length: 16, nullable: true })
  subjectType!: 'order' | 'case' | 'member' | null;

  @Column({ name: 'subject_id', type: 'varchar', length: 64, nullable: true })
  subjectId!: string | null;

  @Column({ name: 'subject_label', type: 'varchar', length: 191, nullable: true })
  subjectLabel!: string | null;

  @Column({ name: 'shop_id', type: 'varchar', length: 32, nullable: true })
  shopId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  state!: SopRunState;

  @Column({ name: 'rule_id', type: 'int', nullable: true })
  ruleId!: number | null;

  @Column({ name: 'started_by', type: 'varchar', length: 64 })
  startedBy!: string;

  @Column({ name: 'started_at', type: 'bigint', transformer: epochMs })
  startedAt!: number;

  @Column({ name: 'completed_at', type: 'bigint', nullable: true, transformer: epochMs })
  completedAt!: number | null;
}

/** A step of a run: its own copy of the template's step, who does it, its state and proof. */
@Entity('sop_run_steps')
@Index('idx_sop_run_steps_run', ['runId', 'idx'])
@Index('idx_sop_run_steps_assignee', ['assignee', 'state'])
@Index('idx_sop_run_steps_due', ['state', 'overdueNotified', 'dueAt'])
export class SopRunStep {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'run_id', type: 'int' })
  runId!: number;

  @Column({ type: 'int' })
  idx!: number;

  @Column({ type: 'varchar', length: 100 })
  title!: string;

  @Column({ type: 'varchar', length: 1000, default: '' })
  description!: string;

  /** `role` | `subject_assignee` | `lead` | `member`: how the assignee was chosen (subject_assignee follows the subject). */
  @Column({ name: 'assignee_kind', type: 'varchar', length: 24 })
  assigneeKind!: SopStepSpec['assignee']['kind'];

  @Column({ type: 'varchar', length: 64, nullable: true })
  assignee!: string | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  role!: RoleKey | null;

  @Column({ type: 'varchar', length: 8 })
  evidence!: EvidenceType;

  @Column({ name: 'evidence_required', type: 'int', default: 0 })
  evidenceRequired!: number;

  @Column({ name: 'due_at', type: 'bigint', nullable: true, transformer: epochMs })
  dueAt!: number | null;

  @Column({ name: 'overdue_notified', type: 'int', default: 0 })
  overdueNotified!: number;

  @Column({ type: 'varchar', length: 8 })
  state!: SopStepState;

  @Column({ name: 'done_by', type: 'varchar', length: 64, nullable: true })
  doneBy!: string | null;

  @Column({ name: 'done_at', type: 'bigint', nullable: true, transformer: epochMs })
  doneAt!: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  proof!: SopEvidence | null;
}

/** An evidence photo: bytes in the storage under `storageKey`, checked by their magic bytes. */
@Entity('sop_files')
export class SopFile {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'storage_key', type: 'varchar', length: 191 })
  storageKey!: string;

  @Column({ type: 'varchar', length: 191 })
  name!: string;

  @Column({ type: 'varchar', length: 32 })
  mime!: string;

  @Column({ type: 'int' })
  size!: number;

  @Column({ name: 'uploaded_by', type: 'varchar', length: 64 })
  uploadedBy!: string;

  @Column({ name: 'uploaded_at', type: 'bigint', transformer: epochMs })
  uploadedAt!: number;
}

/** What moved when a member left: one row per departure (keyed by the event that told of it). */
@Entity('handovers')
@Index('idx_handovers_member', ['userid', 'id'])
export class HandoverRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('uq_handovers_event', { unique: true })
  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId!: string;

  @Column({ type: 'varchar', length: 64 })
  userid!: string;

  @Column({ type: 'varchar', length: 8 })
  reason!: 'deleted' | 'moved';

  @Column({ type: 'varchar', length: 64, nullable: true })
  lead!: string | null;

  @Column({ type: 'text', transformer: jsonText })
  items!: HandoverItem[];

  @Column({ name: 'run_id', type: 'int', nullable: true })
  runId!: number | null;

  @Column({ type: 'bigint', transformer: epochMs })
  at!: number;
}
