import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs, jsonText } from '../../db/columns';

export type JobRunStatus = 'running' | 'done' | 'failed' | 'skipped';

/**
 * One row per occurrence of a cron job that some instance claimed. The unique index on
 * (job_key, occurrence_at) is the exactly-once rule: the INSERT that wins runs the occurrence.
 * `skipped` marks the occurrence a job was first seen after (nothing to catch up on); `lease_until`
 * is renewed by the running instance, so a run whose instance died can be told from a slow one.
 */
@Entity('scheduled_job_runs')
@Index('uq_scheduled_job_runs_occurrence', ['jobKey', 'occurrenceAt'], { unique: true })
export class JobRun {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'job_key', type: 'varchar', length: 191 })
  jobKey!: string;

  /** The cron slot this run is for (epoch ms), not when it started. */
  @Column({ name: 'occurrence_at', type: 'bigint', transformer: epochMs })
  occurrenceAt!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: JobRunStatus;

  /** Instance id of the scheduler that claimed it. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  owner!: string | null;

  @Column({ name: 'started_at', type: 'bigint', nullable: true, transformer: epochMs })
  startedAt!: number | null;

  @Column({ name: 'finished_at', type: 'bigint', nullable: true, transformer: epochMs })
  finishedAt!: number | null;

  @Column({ name: 'lease_until', type: 'bigint', default: 0, transformer: epochMs })
  leaseUntil!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}

/** Anything JSON.stringify can write (checked when the timer is scheduled). */
export type TimerPayload = object | string | number | boolean | null;

export type TimerStatus = 'pending' | 'firing' | 'done' | 'dead' | 'cancelled';

/**
 * One-shot timers, keyed `<kind>:<id>`. An instance claims a due row with one conditional UPDATE
 * (status pending and due, or firing with a lapsed lease) that sets a fresh claim token; only the
 * holder of that token may record the outcome, so a timer rescheduled or cancelled while its handler
 * ran is not overwritten by the stale outcome.
 */
@Entity('scheduled_timers')
@Index('idx_scheduled_timers_due', ['status', 'nextAttemptAt'])
export class TimerRow {
  @PrimaryColumn({ name: 'timer_key', type: 'varchar', length: 191 })
  key!: string;

  @Column({ type: 'varchar', length: 64 })
  kind!: string;

  /** JSON (jsonText); null when there is none. */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  payload!: TimerPayload;

  /** When it was asked to fire (epoch ms). */
  @Column({ name: 'fire_at', type: 'bigint', transformer: epochMs })
  fireAt!: number;

  /** When it may be claimed next: fire_at, later fire_at plus the retry backoff. */
  @Column({ name: 'next_attempt_at', type: 'bigint', transformer: epochMs })
  nextAttemptAt!: number;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: TimerStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'claim_token', type: 'varchar', length: 64, nullable: true })
  claimToken!: string | null;

  @Column({ name: 'lease_until', type: 'bigint', default: 0, transformer: epochMs })
  leaseUntil!: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;

  /** When the handler succeeded. */
  @Column({ name: 'fired_at', type: 'bigint', nullable: true, transformer: epochMs })
  firedAt!: number | null;
}

export const SCHEDULER_ENTITIES = [JobRun, TimerRow];
