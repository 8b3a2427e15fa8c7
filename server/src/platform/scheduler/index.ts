/** The scheduler: cron jobs and one-shot timers, each run once across every instance on one database. */
export { createScheduler, Scheduler, type SchedulerOptions, type TickReport } from './scheduler';
export { DuplicateJobError, type JobContext, type JobDefinition, type JobOutcome } from './jobs';
export {
  DuplicateTimerKindError,
  parseTimerKey,
  type FiredTimer,
  type SchedulerTimers,
  type TimerHandler,
  type TimerInfo,
  type TimerOutcome,
  type TimerWriteOptions,
} from './timers';
export { ManualClock, systemClock, type Clock } from './clock';
export { CronError, isTimeZone, parseCron, type CronSchedule } from './cron';
export { JobRun, SCHEDULER_ENTITIES, TimerRow, type JobRunStatus, type TimerStatus } from './entities';
