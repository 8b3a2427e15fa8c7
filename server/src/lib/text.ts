/** A scalar from parsed JSON as text ('' for anything else: objects, arrays, null), for ids and labels. */
export function scalarText(value: unknown, fallback = ''): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : fallback;
}
