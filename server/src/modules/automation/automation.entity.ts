import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs, jsonText } from '../../db/columns';

/** One step of a rule: an action key (platform/automation-actions.ts) and its checked params. */
export interface RuleAction {
  key: string;
  params: Record<string, unknown>;
}

/**
 * An automation rule: a trigger (a domain event of one type, or a cron schedule) + a condition on the event's fields +
 * actions. New rules start disabled, so a lead can dry-run one before it acts.
 */
@Entity('automation_rules')
@Index('idx_automation_rules_trigger', ['enabled', 'eventType'])
export class AutomationRule {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'integer', default: 0 })
  enabled!: number;

  @Column({ name: 'trigger_kind', type: 'varchar', length: 8 })
  triggerKind!: 'event' | 'schedule';

  @Column({ name: 'event_type', type: 'varchar', length: 64, nullable: true })
  eventType!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  cron!: string | null;

  /** The condition language of notification rules (notifications/conditions.ts); '' = always. */
  @Column({ type: 'text' })
  condition!: string;

  /** Only events of this shop (null: any). */
  @Column({ name: 'shop_id', type: 'varchar', length: 32, nullable: true })
  shopId!: string | null;

  @Column({ type: 'text', transformer: jsonText })
  actions!: RuleAction[];

  /** Compare-and-set on every change, so two editors do not overwrite each other silently. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  /** Schedules: the occurrence last run (each occurrence runs once across instances). */
  @Column({ name: 'last_fired_at', type: 'bigint', nullable: true, transformer: epochMs })
  lastFiredAt!: number | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;
}

export type RunStatus = 'done' | 'partial' | 'failed' | 'skipped_loop' | 'skipped_depth';

/** What one action did in a run. */
export interface RunStep {
  key: string;
  label: string;
  ok: boolean;
  text: string;
}

/** One run of a rule: the event that matched, how deep in a chain, and what each action did. Unique per (rule, event). */
@Entity('automation_runs')
@Index('uq_automation_runs_rule_event', ['ruleId', 'eventId'], { unique: true })
@Index('idx_automation_runs_rule', ['ruleId', 'id'])
export class AutomationRun {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'rule_id', type: 'integer' })
  ruleId!: number;

  /** The event's id, or `schedule:<occurrence ms>` for a scheduled run. */
  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType!: string;

  /** 1 for an event a person or a marketplace caused; n + 1 for an event an automation at depth n caused. */
  @Column({ type: 'integer' })
  depth!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: RunStatus;

  /** What matched, e.g. `订单 2208… · 店铺 100001 · total=620`. */
  @Column({ type: 'varchar', length: 500 })
  matched!: string;

  @Column({ type: 'text', transformer: jsonText })
  steps!: RunStep[];

  @Column({ type: 'bigint', transformer: epochMs })
  at!: number;
}

export const AUTOMATION_ENTITIES = [AutomationRule, AutomationRun];
