/** SLA business hours (modules/aftersales/business-hours.ts): schedule, lunch, weekends, holidays, corp time zone. */
import type { BusinessHours } from '@shopcrew/shared';
import { addBusinessMinutes, businessMinutesBetween, checkHours, DEFAULT_HOURS } from '../../../../server/src/modules/aftersales/business-hours';

const TZ = 'Asia/Shanghai';
/** An instant from Shanghai wall-clock time (UTC+8, no DST). */
const sh = (iso: string) => Date.parse(`${iso}+08:00`);
const iso = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);

describe('business hours', () => {
  // 2026-12-01 is a Tuesday.
  it('counts only open time: the lunch break is skipped', () => {
    expect(iso(addBusinessMinutes(sh('2026-12-01T11:00'), 120, DEFAULT_HOURS, TZ))).toBe('2026-12-01T14:30');
    expect(businessMinutesBetween(sh('2026-12-01T11:00'), sh('2026-12-01T14:30'), DEFAULT_HOURS, TZ)).toBe(120);
  });

  it('a start outside the schedule begins at the next opening; nights and weekends do not count', () => {
    expect(iso(addBusinessMinutes(sh('2026-12-01T20:00'), 30, DEFAULT_HOURS, TZ))).toBe('2026-12-02T09:30');
    // Friday 17:00 + 2 h → Monday 10:00.
    expect(iso(addBusinessMinutes(sh('2026-12-04T17:00'), 120, DEFAULT_HOURS, TZ))).toBe('2026-12-07T10:00');
    expect(businessMinutesBetween(sh('2026-12-04T17:00'), sh('2026-12-07T10:00'), DEFAULT_HOURS, TZ)).toBe(120);
  });

  it('skips holidays', () => {
    const hours: BusinessHours = { ...DEFAULT_HOURS, holidays: ['2026-12-02'] };
    expect(iso(addBusinessMinutes(sh('2026-12-01T17:30'), 60, hours, TZ))).toBe('2026-12-03T09:30');
  });

  it('a whole business day is 7.5 hours here', () => {
    expect(businessMinutesBetween(sh('2026-12-01T00:00'), sh('2026-12-02T00:00'), DEFAULT_HOURS, TZ)).toBe(450);
    expect(iso(addBusinessMinutes(sh('2026-12-01T09:00'), 450, DEFAULT_HOURS, TZ))).toBe('2026-12-01T18:00');
  });

  it('works on another zone’s wall clock, across a DST change', () => {
    const ny = 'America/New_York'; // DST ends 2026-11-01 02:00
    const hours: BusinessHours = { week: { '0': ['00:00-24:00'], '1': [], '2': [], '3': [], '4': [], '5': [], '6': ['00:00-24:00'] }, holidays: [] };
    const satNoon = Date.parse('2026-10-31T12:00:00-04:00');
    // Saturday noon + 24 business hours: 12 h on Saturday, then 12 wall-clock hours of Sunday → Sunday 12:00 EST
    // (business hours are read off the wall clock, so the repeated 01:00 hour is one hour of the schedule).
    expect(addBusinessMinutes(satNoon, 24 * 60, hours, ny)).toBe(Date.parse('2026-11-01T12:00:00-05:00'));
    expect(businessMinutesBetween(satNoon, Date.parse('2026-11-01T12:00:00-05:00'), hours, ny)).toBe(24 * 60);
  });

  it('checks a schedule', () => {
    expect(checkHours(DEFAULT_HOURS)).toBeNull();
    expect(checkHours({ ...DEFAULT_HOURS, week: { ...DEFAULT_HOURS.week, '1': ['12:00-09:00'] } })).toMatch(/星期一/);
    expect(checkHours({ ...DEFAULT_HOURS, week: { ...DEFAULT_HOURS.week, '2': ['09:00-12:00', '11:00-13:00'] } })).toMatch(/重叠/);
    expect(checkHours({ ...DEFAULT_HOURS, holidays: ['12/25'] })).toMatch(/YYYY-MM-DD/);
  });

  it('without any open hour falls back to plain minutes', () => {
    const closed: BusinessHours = { week: { '0': [], '1': [], '2': [], '3': [], '4': [], '5': [], '6': [] }, holidays: [] };
    expect(addBusinessMinutes(1_000_000, 10, closed, TZ)).toBe(1_000_000 + 600_000);
  });
});
