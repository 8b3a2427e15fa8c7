import { In, LessThan } from 'typeorm';
import { isUniqueViolation } from '../../db/transaction';
import type { Logger } from '../../lib/logger';
import { parseCron, type CronSchedule } from './cron';
import { JobRun, type JobRunStatus } from './entities';
import { describeError, retryTransient, type Runtime } from './runtime';

export interface JobContext {
  key: string;
  /** The occurrence being run (epoch ms): the cron slot, e.g. 03:00 +08:00, even when it runs late. */
  scheduledAt: number;
  /** Aborted when the scheduler stops: a long job should wind down and throw if it did not finish. */
  signal: AbortSignal;
  logger: Logger;
}

export interface JobDefinition {
  /** Unique across the app, e.g. `org.contact-sync.nightly`; at most 191 characters. */
  key: string;
  /** 5 fields (minute hour day-of-month month day-of-week) in the corp's time zone (TZ_CORP). */
  cron: string;
  run(ctx: JobContext): Promise<void> | void;
}

export interface JobOutcome {
  key: string;
  scheduledAt: number;
  status: Extract<JobRunStatus, 'done' | 'failed'>;
}

export class DuplicateJobError extends Error {
  constructor(readonly key: string) {
    super(`scheduled job "${key}" is already registered`);
    this.name = 'DuplicateJobError';
  }
}

interface RegisteredJob {
  def: JobDefinition;
  schedule: CronSchedule;
  /** Occurrences up to here are known to be claimed by someone (or skipped): no need to ask the database. */
  settledUntil: number | null;
  /** The occurrence this instance is running, if any. */
  running: number | null;
}

/**
 * Cron jobs. On each tick, for every job, the latest occurrence at or before now is the one due:
 * earlier ones missed while every instance was down collapse into it. The instance whose INSERT of
 * (job key, occurrence) wins runs it; the others get a unique violation and move on. A job whose
 * previous run is still going (here or, with a live lease, elsewhere) waits: its next occurrence
 * runs after, once. A job seen for the first time records the occurrence before it as `skipped`,
 * so deploying a new job does not run it at once for a slot that passed before it existed.
 */
export class CronJobs {
  private readonly jobs = new Map<string, RegisteredJob>();

  constructor(
    private readonly rt: Runtime,
    private readonly timeZone: string,
  ) {}

  register(def: JobDefinition): void {
    if (!def.key || def.key.length > 191) throw new Error(`scheduled job key must be 1-191 characters: "${def.key}"`);
    if (this.jobs.has(def.key)) throw new DuplicateJobError(def.key);
    const schedule = parseCron(def.cron, this.timeZone);
    this.jobs.set(def.key, { def, schedule, settledUntil: null, running: null });
  }

  keys(): string[] {
    return [...this.jobs.keys()];
  }

  runningCount(): number {
    let n = 0;
    for (const job of this.jobs.values()) if (job.running !== null) n++;
    return n;
  }

  /** Claim each job's due occurrence; returns the runs started (they never reject). */
  async claimDue(now: number): Promise<Array<Promise<JobOutcome>>> {
    const started: Array<Promise<JobOutcome>> = [];
    for (const job of this.jobs.values()) {
      try {
        const occurrence = await this.claim(job, now);
        if (occurrence !== null) started.push(this.run(job, occurrence));
      } catch (err) {
        this.rt.logger.error({ err, job: job.def.key }, 'scheduler could not claim a job occurrence');
      }
    }
    return started;
  }

  /** The occurrence this instance won, or null. */
  private async claim(job: RegisteredJob, now: number): Promise<number | null> {
    if (job.running !== null) return null;
    const due = job.schedule.latestAtOrBefore(now);
    if (due === null || (job.settledUntil !== null && due <= job.settledUntil)) return null;
    const repo = this.rt.ds.getRepository(JobRun);
    const key = job.def.key;
    const newest = await repo.findOne({ where: { jobKey: key }, order: { occurrenceAt: 'DESC' } });
    if (!newest) {
      // First sight of this job on this database: nothing before now is owed.
      await this.insert({
        jobKey: key,
        occurrenceAt: due,
        status: 'skipped',
        owner: this.rt.instanceId,
        startedAt: null,
        finishedAt: now,
        leaseUntil: 0,
        error: null,
      });
      job.settledUntil = due;
      return null;
    }
    if (newest.occurrenceAt >= due) {
      job.settledUntil = due;
      return null;
    }
    if (newest.status === 'running') {
      if (newest.leaseUntil >= now) return null; // still running elsewhere: its next occurrence waits
      const lost = await repo.update(
        { id: newest.id, status: 'running', leaseUntil: LessThan(now) },
        { status: 'failed', finishedAt: now, error: `abandoned: instance ${newest.owner ?? '?'} stopped renewing its lease before the run finished` },
      );
      if (lost.affected)
        this.rt.logger.error(
          { job: key, scheduledAt: new Date(newest.occurrenceAt).toISOString(), owner: newest.owner },
          'scheduled job run abandoned by its instance',
        );
    }
    const won = await this.insert({
      jobKey: key,
      occurrenceAt: due,
      status: 'running',
      owner: this.rt.instanceId,
      startedAt: now,
      finishedAt: null,
      leaseUntil: now + this.rt.leaseMs,
      error: null,
    });
    job.settledUntil = due;
    return won ? due : null;
  }

  /** INSERT the row; false when another instance's row for that occurrence is already there. */
  private async insert(row: Omit<JobRun, 'id'>): Promise<boolean> {
    try {
      await retryTransient(() => this.rt.ds.getRepository(JobRun).insert(row));
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  private async run(job: RegisteredJob, scheduledAt: number): Promise<JobOutcome> {
    const key = job.def.key;
    job.running = scheduledAt;
    const logger = this.rt.logger.child({ job: key, scheduledAt: new Date(scheduledAt).toISOString() });
    let status: JobOutcome['status'] = 'done';
    let error: string | null = null;
    try {
      await job.def.run({ key, scheduledAt, signal: this.rt.signal(), logger });
    } catch (err) {
      status = 'failed';
      error = describeError(err);
      logger.error({ err }, 'scheduled job failed');
    }
    try {
      const result = await retryTransient(() =>
        this.rt.ds
          .getRepository(JobRun)
          .update({ jobKey: key, occurrenceAt: scheduledAt, owner: this.rt.instanceId, status: 'running' }, { status, finishedAt: this.rt.clock.now(), error }),
      );
      if (!result.affected) logger.warn({ status }, 'scheduled job finished after its lease lapsed; its run was already recorded as abandoned');
    } catch (err) {
      logger.error({ err, status }, 'scheduler could not record a job run');
    } finally {
      job.running = null;
    }
    return { key, scheduledAt, status };
  }

  /** Keep the leases of this instance's running jobs alive. */
  async renewLeases(now: number): Promise<void> {
    if (this.runningCount() === 0) return;
    await this.rt.ds.getRepository(JobRun).update({ owner: this.rt.instanceId, status: 'running' }, { leaseUntil: now + this.rt.leaseMs });
  }

  /** Forget finished runs older than `cutoff`, always keeping each job's newest row (its baseline). */
  async prune(cutoff: number): Promise<void> {
    const repo = this.rt.ds.getRepository(JobRun);
    for (const key of this.jobs.keys()) {
      const newest = await repo.findOne({ where: { jobKey: key }, order: { occurrenceAt: 'DESC' } });
      if (!newest) continue;
      await repo.delete({ jobKey: key, occurrenceAt: LessThan(Math.min(cutoff, newest.occurrenceAt)), status: In(['done', 'failed', 'skipped']) });
    }
  }
}
