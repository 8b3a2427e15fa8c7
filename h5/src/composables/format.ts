import { formatDateTime } from '@shopcrew/shared';
import { i18n, t } from '@/locales';

/** Dates and durations in the UI language. */
const locale = () => (i18n.global.locale.value === 'en' ? 'en-US' : 'zh-CN');

const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** `10:22` today, `03-14 10:22` this year, `2024-03-14 10:22` before. */
export function formatTime(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const today = new Date(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (sameDay(d, today)) return hm;
  const md = `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return d.getFullYear() === today.getFullYear() ? `${md} ${hm}` : `${d.getFullYear()}-${md} ${hm}`;
}

/** Full date and time with seconds, for details. */
export function formatFullTime(ms: number): string {
  return formatDateTime(ms, locale());
}

/** `2024-03-14` in local time. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** 刚刚 / 12 分钟前 / 3 小时前, else the time. */
export function formatRelative(ms: number, now = Date.now()): string {
  const diff = now - ms;
  if (diff < 60_000) return t('time.justNow');
  if (diff < 3600_000) return t('time.minutesAgo', { n: Math.floor(diff / 60_000) });
  if (diff < 12 * 3600_000) return t('time.hoursAgo', { n: Math.floor(diff / 3600_000) });
  return formatTime(ms, now);
}

/** 850 毫秒 / 12.3 秒 / 2 分 5 秒 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return t('time.ms', { n: Math.round(ms) });
  if (ms < 60_000) return t('time.seconds', { n: (ms / 1000).toFixed(ms < 10_000 ? 1 : 0) });
  return t('time.minutes', { m: Math.floor(ms / 60_000), s: Math.round((ms % 60_000) / 1000) });
}

/** Local midnight of the day `ms` falls in. */
export function startOfDay(ms = Date.now()): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** The member's IANA time zone (for the CSV export), when the browser knows it. */
export function localTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}
