import { startOfDayIn } from '../../lib/zoned-day';

/** The calendar day `YYYY-MM-DD` of an instant in a time zone. */
export const dayIn = (timeZone: string, at: number): string => new Intl.DateTimeFormat('sv-SE', { timeZone }).format(at);

const H = 3_600_000;

/** The instant the calendar day begins in a time zone (exact where midnight is not a DST change). */
function startOf(timeZone: string, day: string): number {
  const noonUtc = Date.parse(`${day}T12:00:00Z`);
  // Noon UTC falls on `day` itself in every zone from UTC−12 to UTC+11; a zone further east reads the next day there.
  const probe = dayIn(timeZone, noonUtc) === day ? noonUtc : noonUtc - 24 * H;
  return startOfDayIn(timeZone, probe);
}

/** [start, end) in epoch ms of a calendar day in a time zone. */
export function dayBounds(timeZone: string, day: string): [number, number] {
  const start = startOf(timeZone, day);
  return [start, startOfDayIn(timeZone, start + 36 * H)];
}

/** The days from `from` to `to`, both included. */
export function daysFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && out.length <= 3660; t += 24 * H)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The day `n` days after `day` (before, for a negative n). */
export const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 24 * H).toISOString().slice(0, 10);
