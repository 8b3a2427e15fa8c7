/**
 * Epoch ms of the midnight that starts the calendar day containing `at` in an IANA time zone (e.g. Asia/Shanghai),
 * from Intl's wall-clock reading of `at`; exact for zones without a DST change at midnight.
 */
export function startOfDayIn(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const sinceMidnight = ((get('hour') * 60 + get('minute')) * 60 + get('second')) * 1000 + (at % 1000);
  return at - sinceMidnight;
}
