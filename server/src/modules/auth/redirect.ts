/**
 * Open-redirect guard: only a same-origin path survives. Anything absolute, protocol-relative
 * (`//evil`), backslashed (`/\evil`), or with control characters falls back to '/'.
 */
export function safeRedirectPath(raw: unknown, publicUrl: string): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || raw.length > 1000) return '/';
  // eslint-disable-next-line no-control-regex -- matching C0 controls and DEL is the point of this check
  if (/[\u0000-\u001f\u007f]/.test(raw)) return '/';
  try {
    const origin = new URL(publicUrl).origin;
    const target = new URL(raw, origin);
    if (target.origin !== origin) return '/';
    const path = `${target.pathname}${target.search}${target.hash}`;
    return path.startsWith('//') ? '/' : path; // dot segments can leave `//host` (e.g. `/..//evil`)
  } catch {
    return '/';
  }
}
