import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../lib/logger';
import { systemClock, type Clock } from './clock';
import { CronJobs, type JobDefinition, type JobOutcome } from './jobs';
import type { Runtime } from './runtime';
import { TimerEngine, type SchedulerTimers, type TimerOutcome } from './timers';

export interface SchedulerOptions {
  /** IANA zone cron expressions are read in: config.TZ_CORP. */
  timeZone: string;
  logger: Logger;
  /** Default: the system clock. Tests pass a ManualClock and call tick(). */
  clock?: Clock;
  /** Default: a random UUID per scheduler (per process). */
  instanceId?: string;
  /** Real loop period (start()). Default 1000 ms. */
  tickMs?: number;
  /** How long a claimed job run or timer holds without renewal (renewed while it runs). Default 60 s. */
  leaseMs?: number;
  /** Tries of a timer before it is marked dead. Default 5. */
  timerMaxAttempts?: number;
  /** Retry delay after the first failure, doubled each time. Default 30 s. */
  timerRetryBaseMs?: number;
  /** Longest retry delay. Default 1 h. */
  timerRetryMaxMs?: number;
  /** Timers one instance fires at once. Default 8. */
  timerConcurrency?: number;
  /** Finished job runs and fired/cancelled timers are deleted after this many days. Default 30. */
  retentionDays?: number;
}

/** What one tick started and saw finish. */
export interface TickReport {
  jobs: JobOutcome[];
  timers: TimerOutcome[];
}

const HOUR = 3_600_000;

/**
 * Cron jobs and one-shot timers, shared by every server instance on one database: each due job
 * occurrence and each timer runs once across all of them (see README.md beside this file).
 *
 *   const scheduler = createScheduler(ds, { timeZone: config.TZ_CORP, logger });
 *   scheduler.register({ key: 'digest.daily', cron: '0 9 * * *', run: (ctx) => digests.send(ctx.scheduledAt) });
 *   scheduler.timers.on('sla', (t) => cases.breach(t.id));
 *   scheduler.start();            // …and at shutdown: await scheduler.stop();
 *   await scheduler.timers.at(`sla:${caseId}`, deadline, { level: 1 });
 *
 * Everything reads the time from the Clock; tick() does one round (claim what is due, run it, wait
 * for it) and is what tests call after moving a ManualClock. start() runs rounds every tickMs, not
 * waiting for long runs before claiming the next due work.
 */
export class Scheduler {
  /** For the composition root's list of background work. */
  readonly name = 'scheduler';
  readonly instanceId: string;
  readonly timers: SchedulerTimers;
  /** The clock jobs and timers run by: modules that stamp deadlines use it too, so tests move one clock for all. */
  readonly clock: Clock;

  private readonly rt: Runtime;
  private readonly jobs: CronJobs;
  private readonly engine: TimerEngine;
  private readonly tickMs: number;
  private readonly retentionMs: number;
  private abort = new AbortController();
  private started = false;
  private loopTimer: NodeJS.Timeout | null = null;
  /** Claim rounds run one at a time (the loop's and any caller's tick()). */
  private claiming: Promise<unknown> = Promise.resolve();
  private readonly inflight = new Set<Promise<unknown>>();
  private renewedAt = 0;
  private nextPruneAt = 0;

  constructor(ds: DataSource, opts: SchedulerOptions) {
    this.instanceId = opts.instanceId ?? randomUUID();
    const clock = opts.clock ?? systemClock;
    this.clock = clock;
    this.rt = {
      ds,
      clock,
      logger: opts.logger,
      instanceId: this.instanceId,
      leaseMs: opts.leaseMs ?? 60_000,
      signal: () => this.abort.signal,
    };
    this.jobs = new CronJobs(this.rt, opts.timeZone);
    this.engine = new TimerEngine(this.rt, {
      maxAttempts: opts.timerMaxAttempts ?? 5,
      retryBaseMs: opts.timerRetryBaseMs ?? 30_000,
      retryMaxMs: opts.timerRetryMaxMs ?? HOUR,
      concurrency: opts.timerConcurrency ?? 8,
    });
    this.timers = this.engine;
    this.tickMs = opts.tickMs ?? 1000;
    this.retentionMs = (opts.retentionDays ?? 30) * 24 * HOUR;
  }

  /** Add a cron job. Throws on a key already registered or an expression that does not parse. */
  register(job: JobDefinition): void {
    this.jobs.register(job);
  }

  /** Keys of the registered jobs. */
  jobKeys(): string[] {
    return this.jobs.keys();
  }

  /** One round: claim every due job occurrence and timer, run them, and resolve when they finished. */
  async tick(): Promise<TickReport> {
    const { jobs, timers } = await this.claimRound();
    return { jobs: await Promise.all(jobs), timers: await Promise.all(timers) };
  }

  /** Run rounds every tickMs until stop(). Timers are unref'd: they never keep the process alive. */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    this.schedule(0);
  }

  /** Stop claiming; abort ctx.signal / timer.signal; resolve once every running job and timer handler settled. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.loopTimer) clearTimeout(this.loopTimer);
    this.loopTimer = null;
    this.abort.abort();
    await this.claiming;
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private schedule(ms: number): void {
    this.loopTimer = setTimeout(() => void this.loop(), ms);
    this.loopTimer.unref();
  }

  private async loop(): Promise<void> {
    this.loopTimer = null;
    try {
      await this.claimRound(); // the work it started goes on; the next round skips what is still running
    } catch (err) {
      this.rt.logger.error({ err }, 'scheduler round failed');
    }
    if (this.started) this.schedule(this.tickMs);
  }

  private claimRound(): Promise<{ jobs: Array<Promise<JobOutcome>>; timers: Array<Promise<TimerOutcome>> }> {
    const round = this.claiming.then(() => this.claimOnce());
    this.claiming = round.catch(() => undefined);
    return round;
  }

  private async claimOnce(): Promise<{ jobs: Array<Promise<JobOutcome>>; timers: Array<Promise<TimerOutcome>> }> {
    const now = this.rt.clock.now();
    await this.renewLeases(now);
    const jobs = await this.jobs.claimDue(now);
    let timers: Array<Promise<TimerOutcome>> = [];
    try {
      timers = await this.engine.claimDue(now);
    } catch (err) {
      this.rt.logger.error({ err }, 'scheduler could not claim due timers');
    }
    for (const work of [...jobs, ...timers]) {
      this.inflight.add(work);
      void work.finally(() => this.inflight.delete(work));
    }
    if (now >= this.nextPruneAt) {
      this.nextPruneAt = now + HOUR;
      await this.prune(now - this.retentionMs);
    }
    return { jobs, timers };
  }

  /** Renew this instance's claims well before they lapse (a third of the lease). */
  private async renewLeases(now: number): Promise<void> {
    if (now >= this.renewedAt && now - this.renewedAt < this.rt.leaseMs / 3) return;
    this.renewedAt = now;
    try {
      await this.jobs.renewLeases(now);
      await this.engine.renewLeases(now);
    } catch (err) {
      this.rt.logger.error({ err }, 'scheduler could not renew its leases');
    }
  }

  private async prune(cutoff: number): Promise<void> {
    try {
      await this.jobs.prune(cutoff);
      await this.engine.prune(cutoff);
    } catch (err) {
      this.rt.logger.error({ err }, 'scheduler could not prune old rows');
    }
  }
}

export function createScheduler(ds: DataSource, opts: SchedulerOptions): Scheduler {
  return new Scheduler(ds, opts);
}
