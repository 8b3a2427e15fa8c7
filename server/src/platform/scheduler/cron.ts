import { CronExpressionParser } from 'cron-parser';

/**
 * 5-field cron expressions (minute hour day-of-month month day-of-week) evaluated in an IANA time
 * zone, on top of cron-parser (which does the field parsing and the zone arithmetic through luxon).
 * This wrapper pins down what the scheduler relies on:
 * - exactly five fields (no seconds field, no `@daily` aliases), so every occurrence is on a minute;
 * - no `H` (hashed) values: without a seed cron-parser picks them at random, so two server instances
 *   would compute different occurrences and the exactly-once rule would break;
 * - the zone is checked with Intl first (cron-parser fails late and cryptically on a bad zone);
 * - occurrences are plain epoch ms, and "at or before" / "strictly after" are explicit.
 * Semantics are Vixie cron's: when both day-of-month and day-of-week are restricted, either matches.
 * Across a DST change (not in Asia/Shanghai, which has none) a wall time that does not exist runs at
 * the first minute after the gap, and a repeated one runs once.
 */
export class CronError extends Error {
  constructor(
    readonly expression: string,
    problem: string,
  ) {
    super(`cron "${expression}": ${problem}`);
    this.name = 'CronError';
  }
}

/** True for a time zone Intl knows (an IANA name such as Asia/Shanghai, or UTC). */
export function isTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface CronSchedule {
  readonly expression: string;
  readonly timeZone: string;
  /** The latest occurrence at or before `at` (epoch ms), or null when there is none. */
  latestAtOrBefore(at: number): number | null;
  /** The first occurrence strictly after `after` (epoch ms), or null when there is none. */
  nextAfter(after: number): number | null;
}

export function parseCron(expression: string, timeZone: string): CronSchedule {
  const expr = expression.trim().replace(/\s+/g, ' ');
  if (!isTimeZone(timeZone)) throw new CronError(expression, `unknown time zone "${timeZone}" (expected an IANA name such as Asia/Shanghai)`);
  const fields = expr.split(' ');
  if (fields.length !== 5 || expr.startsWith('@')) throw new CronError(expression, 'must have exactly 5 fields: minute hour day-of-month month day-of-week');
  if (fields.some((f) => /(^|,)H/.test(f))) throw new CronError(expression, 'hashed values (H) are not supported');
  const at = (currentDate: number) => {
    try {
      return CronExpressionParser.parse(expr, { currentDate, tz: timeZone });
    } catch (err) {
      throw new CronError(expression, (err as Error).message);
    }
  };
  const occurrence = (step: () => { getTime(): number }): number | null => {
    try {
      return step().getTime();
    } catch {
      return null; // cron-parser gave up looking (its loop limit): no occurrence in range
    }
  };
  const schedule: CronSchedule = {
    expression: expr,
    timeZone,
    // cron-parser's prev() is strictly before currentDate; occurrences fall on whole minutes.
    latestAtOrBefore: (t) => {
      const parsed = at(t + 1);
      return occurrence(() => parsed.prev());
    },
    nextAfter: (t) => {
      const parsed = at(t);
      return occurrence(() => parsed.next());
    },
  };
  // Fail at registration, not at the first tick: an expression that parses but never occurs
  // (cron-parser rejects e.g. `0 0 30 2 *` itself) is as useless as one that does not parse.
  if (schedule.nextAfter(0) === null) throw new CronError(expression, 'never occurs');
  return schedule;
}
