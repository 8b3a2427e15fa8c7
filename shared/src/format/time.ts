/**
 * Date and time to the second on a 24-hour clock, 2-digit fields, in `locale`'s order and separators
 * (`sv-SE` gives `2025-01-31 16:30:05`, `zh-CN` `2025/01/31 16:30:05`), in `timeZone` or else the
 * runtime's own. Intl only: no runtime dependency, the same on the server and in the H5.
 */
export function formatDateTime(ms: number, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
}
