/** Calendar days `YYYY-MM-DD` as day numbers (days since 1970-01-01), for date math without time zones. */
const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export const dayNumber = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);

export const dayString = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

export const addDays = (day: string, n: number): string => dayString(dayNumber(day) + n);

/** Days from `a` to `b` (b − a). */
export const daysBetween = (a: string, b: string): number => dayNumber(b) - dayNumber(a);

/** Today in a time zone, as `YYYY-MM-DD`. */
export const todayIn = (timeZone: string, now: number): string => new Intl.DateTimeFormat('sv-SE', { timeZone }).format(now);

/** `D-14` → the day 14 days before `dDay`; `D+3` after; `D` the day itself. */
export function resolveOffset(offset: string, dDay: string): string {
  const m = /^D(?:([+-])(\d{1,3}))?$/.exec(offset);
  if (!m) throw new Error(`invalid day offset ${offset}`);
  const n = m[2] ? Number(m[2]) * (m[1] === '-' ? -1 : 1) : 0;
  return addDays(dDay, n);
}
