/**
 * The scheduler's cron wrapper (server/src/platform/scheduler/cron.ts): 5-field expressions read in the
 * corp's time zone, "latest at or before" / "first strictly after" in epoch ms, early and readable
 * rejection of what the scheduler cannot run safely (TZ_CORP itself is checked in config.test.ts).
 */
import { CronError, isTimeZone, parseCron } from '../../../server/src/platform/scheduler/cron';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('parseCron in Asia/Shanghai', () => {
  const nightly = parseCron('0 3 * * *', 'Asia/Shanghai');

  test('0 3 * * * is 03:00 +08:00, i.e. 19:00 UTC the day before', () => {
    expect(iso(nightly.nextAfter(at('2025-01-10T00:00:00Z')))).toBe('2025-01-10T19:00:00.000Z');
    expect(nightly.nextAfter(at('2025-01-10T00:00:00Z'))).toBe(at('2025-01-11T03:00:00+08:00'));
    // Not 03:00 UTC: at 03:00 UTC (11:00 in Shanghai) the next one is still that evening.
    expect(iso(nightly.nextAfter(at('2025-01-10T03:00:00Z')))).toBe('2025-01-10T19:00:00.000Z');
  });

  test('the same expression in UTC is 03:00 UTC', () => {
    expect(iso(parseCron('0 3 * * *', 'UTC').nextAfter(at('2025-01-10T00:00:00Z')))).toBe('2025-01-10T03:00:00.000Z');
  });

  test('latestAtOrBefore includes the instant itself; nextAfter excludes it', () => {
    const t = at('2025-01-10T19:00:00Z');
    expect(nightly.latestAtOrBefore(t)).toBe(t);
    expect(nightly.latestAtOrBefore(t + 59_999)).toBe(t);
    expect(iso(nightly.latestAtOrBefore(t - 1))).toBe('2025-01-09T19:00:00.000Z');
    expect(iso(nightly.nextAfter(t))).toBe('2025-01-11T19:00:00.000Z');
    expect(nightly.nextAfter(t - 1)).toBe(t);
  });

  test('every-minute and stepped expressions land on whole minutes', () => {
    const everyMinute = parseCron('* * * * *', 'Asia/Shanghai');
    expect(iso(everyMinute.latestAtOrBefore(at('2025-01-10T19:07:42.123Z')))).toBe('2025-01-10T19:07:00.000Z');
    expect(iso(everyMinute.nextAfter(at('2025-01-10T19:07:42.123Z')))).toBe('2025-01-10T19:08:00.000Z');
    const quarter = parseCron('*/15 9-18 * * *', 'Asia/Shanghai');
    expect(iso(quarter.nextAfter(at('2025-01-10T10:50:00Z')))).toBe('2025-01-11T01:00:00.000Z'); // 18:50 local → 09:00 next day
  });

  test('day-of-week and names are read in the zone: Monday 09:00 in Shanghai is Monday 01:00 UTC', () => {
    const weekly = parseCron('0 9 * * MON', 'Asia/Shanghai');
    // Sunday 2025-03-02 20:00 UTC is already Monday 04:00 in Shanghai.
    expect(iso(weekly.nextAfter(at('2025-03-02T20:00:00Z')))).toBe('2025-03-03T01:00:00.000Z');
    const weekdays = parseCron('30 8 * * 1-5', 'Asia/Shanghai');
    // Friday 08:30 local, then the weekend is skipped.
    expect(iso(weekdays.nextAfter(at('2025-03-07T00:30:00Z')))).toBe('2025-03-10T00:30:00.000Z');
  });

  test('month ends and leap days (L, 29 Feb)', () => {
    expect(iso(parseCron('0 18 L * *', 'Asia/Shanghai').nextAfter(at('2025-02-01T00:00:00Z')))).toBe('2025-02-28T10:00:00.000Z');
    expect(iso(parseCron('0 0 29 2 *', 'Asia/Shanghai').nextAfter(at('2025-03-01T00:00:00Z')))).toBe('2028-02-28T16:00:00.000Z');
  });

  test('whitespace is normalised', () => {
    expect(parseCron('  0   3 * *  * ', 'Asia/Shanghai').expression).toBe('0 3 * * *');
  });
});

describe('parseCron across a DST change (America/New_York; Asia/Shanghai has none)', () => {
  test('a wall time that does not exist runs at the first minute after the gap', () => {
    // 2025-03-09 02:00 EST → 03:00 EDT: 02:30 does not exist that day.
    const c = parseCron('30 2 * * *', 'America/New_York');
    expect(iso(c.nextAfter(at('2025-03-08T12:00:00Z')))).toBe('2025-03-09T07:30:00.000Z'); // 03:30 EDT
    expect(iso(c.nextAfter(at('2025-03-09T07:30:00Z')))).toBe('2025-03-10T06:30:00.000Z'); // 02:30 EDT
  });

  test('a repeated wall time runs once', () => {
    // 2025-11-02 02:00 EDT → 01:00 EST: 01:30 happens twice.
    const c = parseCron('30 1 * * *', 'America/New_York');
    expect(iso(c.nextAfter(at('2025-11-01T12:00:00Z')))).toBe('2025-11-02T05:30:00.000Z');
    expect(iso(c.nextAfter(at('2025-11-02T05:30:00Z')))).toBe('2025-11-03T06:30:00.000Z');
  });
});

describe('parseCron refuses what the scheduler cannot run safely', () => {
  test.each([
    ['six fields (seconds)', '0 0 3 * * *', /exactly 5 fields/],
    ['four fields', '0 3 * *', /exactly 5 fields/],
    ['an alias', '@daily', /exactly 5 fields/],
    ['a hashed value (random without a seed: instances would disagree)', 'H 3 * * *', /hashed/],
    ['a hashed range', '0 H(0-5) * * *', /hashed/],
    ['a minute out of range', '61 * * * *', /61/],
    ['a weekday out of range', '0 3 * * 8', /8/],
    ['a date that never occurs', '0 0 30 2 *', /cron "0 0 30 2 \*"/],
    ['garbage', 'every day at three', /cron "every day at three"/],
  ])('%s', (_what, expr, message) => {
    expect(() => parseCron(expr, 'Asia/Shanghai')).toThrow(CronError);
    expect(() => parseCron(expr, 'Asia/Shanghai')).toThrow(message);
  });

  test('weekday names containing an H are not mistaken for hashes', () => {
    expect(() => parseCron('0 3 * * THU', 'Asia/Shanghai')).not.toThrow();
  });

  test('an unknown time zone, before cron-parser could fail on it cryptically', () => {
    expect(() => parseCron('0 3 * * *', 'Mars/Olympus_Mons')).toThrow(/unknown time zone "Mars\/Olympus_Mons"/);
    expect(() => parseCron('0 3 * * *', '')).toThrow(CronError);
  });
});

describe('isTimeZone', () => {
  test.each(['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Singapore', 'UTC', 'Etc/GMT-8', 'America/New_York'])('%s is a zone', (zone) => {
    expect(isTimeZone(zone)).toBe(true);
  });
  test.each(['', 'Asia/Beijing', 'China Standard Time', 'Mars/Olympus_Mons'])('%j is not', (zone) => {
    expect(isTimeZone(zone)).toBe(false);
  });
});
