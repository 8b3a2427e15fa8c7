import type { BusinessHours } from '@shopcrew/shared';

/**
 * Business-hours arithmetic for SLA targets: a weekly schedule of open ranges per weekday (a lunch break is the gap
 * between two ranges), a holiday calendar, all on the corp's wall clock (TZ_CORP). Pure: instants in, instants out.
 */

const MINUTE = 60_000;
/** A year of days: a schedule with no open hour at all must not loop for ever. */
const MAX_DAYS = 370;

/** Open ranges of a weekday in minutes of the day, sorted: '09:00-12:00' → [540, 720]. */
export function rangesOf(hours: BusinessHours, weekday: number): Array<[number, number]> {
  const raw = hours.week[String(weekday) as keyof BusinessHours['week']] ?? [];
  return raw
    .map((r) => {
      const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(r);
      return m ? ([Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4])] as [number, number]) : null;
    })
    .filter((r): r is [number, number] => r !== null && r[1] > r[0])
    .sort((a, b) => a[0] - b[0]);
}

/** Well-formed hours: every range 'HH:mm-HH:mm' with start < end, no overlaps; holidays as YYYY-MM-DD. */
export function checkHours(hours: BusinessHours): string | null {
  for (let d = 0; d < 7; d++) {
    const raw = hours.week[String(d) as keyof BusinessHours['week']] ?? [];
    const ranges = rangesOf(hours, d);
    if (ranges.length !== raw.length) return `星期${'日一二三四五六'[d]}的时段格式应为 HH:mm-HH:mm 且开始早于结束`;
    if (ranges.some((r) => r[1] > 24 * 60)) return `星期${'日一二三四五六'[d]}的时段超出一天`;
    for (let i = 1; i < ranges.length; i++) if (ranges[i]![0] < ranges[i - 1]![1]) return `星期${'日一二三四五六'[d]}的时段重叠`;
  }
  const bad = hours.holidays.find((h) => !/^\d{4}-\d{2}-\d{2}$/.test(h));
  return bad ? `节假日日期格式应为 YYYY-MM-DD：${bad}` : null;
}

/**
 * The instant `minutes` business minutes after `start`. Time outside the schedule (nights, lunch, weekends, holidays)
 * does not count; a start outside it begins at the next opening. Minutes are wall-clock minutes of the corp's day.
 */
export function addBusinessMinutes(start: number, minutes: number, hours: BusinessHours, timeZone: string): number {
  let left = Math.max(0, minutes);
  let day = wallClock(start, timeZone);
  let from = day.minute;
  for (let i = 0; i < MAX_DAYS; i++) {
    if (!hours.holidays.includes(day.date)) {
      for (const [a, b] of rangesOf(hours, day.weekday)) {
        const s = Math.max(a, from);
        if (s >= b) continue;
        if (left <= b - s) return zonedInstant(day.date, s + left, timeZone);
        left -= b - s;
      }
    }
    day = nextDay(day.date);
    from = 0;
  }
  return start + minutes * MINUTE; // no business hours configured at all: plain minutes
}

/** Business minutes between two instants (0 when `to` is not after `from`). */
export function businessMinutesBetween(from: number, to: number, hours: BusinessHours, timeZone: string): number {
  if (to <= from) return 0;
  const last = wallClock(to, timeZone);
  let day = wallClock(from, timeZone);
  let start = day.minute;
  let total = 0;
  for (let i = 0; i < MAX_DAYS; i++) {
    const end = day.date === last.date ? last.minute : 24 * 60;
    if (!hours.holidays.includes(day.date)) for (const [a, b] of rangesOf(hours, day.weekday)) total += Math.max(0, Math.min(b, end) - Math.max(a, start));
    if (day.date >= last.date) break;
    day = nextDay(day.date);
    start = 0;
  }
  return Math.round(total);
}

interface WallClock {
  /** YYYY-MM-DD on the corp's wall clock. */
  date: string;
  weekday: number;
  /** Minutes since local midnight (fractional). */
  minute: number;
}

function wallClock(at: number, timeZone: string): WallClock {
  const p = parts(at, timeZone);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, weekday: p.weekday, minute: p.hour * 60 + p.minute + (p.second + (at % 1000) / 1000) / 60 };
}

function parts(at: number, timeZone: string) {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    weekday: 'short',
  }).formatToParts(at);
  const get = (t: string) => f.find((x) => x.type === t)?.value ?? '0';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    second: Number(get('second')),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const p = parts(at, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (at - (at % 1000));
}

/** The instant the corp's wall clock shows `minuteOfDay` on `date` (the later offset wins inside a DST jump). */
function zonedInstant(date: string, minuteOfDay: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d) + Math.round(minuteOfDay * MINUTE);
  const first = asUtc - offsetAt(asUtc, timeZone);
  return asUtc - offsetAt(first, timeZone);
}

function nextDay(date: string): WallClock {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  const nextDate = `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
  return { date: nextDate, weekday: next.getUTCDay(), minute: 0 };
}

/** Mon–Fri 09:00–12:00 and 13:30–18:00: a seller team's usual day with a lunch break. */
export const DEFAULT_HOURS: BusinessHours = {
  week: {
    '0': [],
    '1': ['09:00-12:00', '13:30-18:00'],
    '2': ['09:00-12:00', '13:30-18:00'],
    '3': ['09:00-12:00', '13:30-18:00'],
    '4': ['09:00-12:00', '13:30-18:00'],
    '5': ['09:00-12:00', '13:30-18:00'],
    '6': [],
  },
  holidays: [],
};
