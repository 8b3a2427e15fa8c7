/** Calendar days of the figures: a day's bounds in a time zone (east and west of UTC, and across the date line), ISO weeks. */
import { dayBounds, dayIn, daysFrom } from '../../../server/src/modules/metrics/days';
import { weekOf } from '../../../server/src/modules/metrics/metric-query';

describe('metric days', () => {
  it.each([
    ['Asia/Shanghai', '2026-11-11', '2026-11-10T16:00:00.000Z', '2026-11-11T16:00:00.000Z'],
    ['America/Los_Angeles', '2026-11-11', '2026-11-11T08:00:00.000Z', '2026-11-12T08:00:00.000Z'],
    ['Pacific/Kiritimati', '2026-11-11', '2026-11-10T10:00:00.000Z', '2026-11-11T10:00:00.000Z'],
    ['UTC', '2026-12-31', '2026-12-31T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
  ])('%s: %s runs from %s to %s', (zone, day, start, end) => {
    const [s, e] = dayBounds(zone, day);
    expect([new Date(s).toISOString(), new Date(e).toISOString()]).toEqual([start, end]);
    expect(dayIn(zone, s)).toBe(day);
    expect(dayIn(zone, e - 1)).toBe(day);
  });

  it('weeks start on Monday; ranges list every day', () => {
    expect(weekOf('2026-11-11')).toBe('2026-11-09');
    expect(weekOf('2026-11-09')).toBe('2026-11-09');
    expect(weekOf('2026-11-15')).toBe('2026-11-09');
    expect(daysFrom('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  });
});
