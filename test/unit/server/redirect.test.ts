/** Open-redirect guard for the post-sign-in landing page. */
import { safeRedirectPath } from '../../../server/src/modules/auth/redirect';

const PUBLIC_URL = 'https://shop.example.com';

/** What a browser would do with `Location: <path>` sent from PUBLIC_URL. */
const landsOn = (path: string) => new URL(path, `${PUBLIC_URL}/auth/wecom/callback`);

describe('safeRedirectPath', () => {
  test.each(['/', '/team', '/team/2?tab=members', '/orders/12?x=1&y=2#detail', '/%E5%AE%A2%E6%9C%8D', '/a/b/../c'])('keeps the same-origin path %s', (raw) => {
    const out = safeRedirectPath(raw, PUBLIC_URL);
    expect(landsOn(out).href).toBe(new URL(raw, PUBLIC_URL).href);
    expect(out.startsWith('/')).toBe(true);
  });

  test('keeps query and fragment exactly', () => {
    expect(safeRedirectPath('/team/2?tab=members#top', PUBLIC_URL)).toBe('/team/2?tab=members#top');
  });

  test.each([
    ['absolute URL elsewhere', 'https://evil.example.com/'],
    ['absolute URL to ourselves', `${PUBLIC_URL}/team`],
    ['protocol-relative', '//evil.example.com/x'],
    ['backslash', '/\\evil.example.com'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['relative without slash', 'team'],
    ['empty', ''],
    ['CRLF injection', '/ok\r\nSet-Cookie: sid=x'],
    ['tab', '/\t/evil.example.com'],
    ['NUL', '/a\u0000b'],
    ['DEL', '/a\u007fb'],
    ['too long', `/${'a'.repeat(1000)}`],
  ])('falls back to / for %s', (_label, raw) => {
    expect(safeRedirectPath(raw, PUBLIC_URL)).toBe('/');
  });

  test.each([undefined, null, 42, ['/team'], { path: '/team' }])('falls back to / for a non-string (%p)', (raw) => {
    expect(safeRedirectPath(raw, PUBLIC_URL)).toBe('/');
  });

  // Dot segments are resolved by URL parsing: what is left must still be a path on our origin,
  // never `//host` (a protocol-relative Location the browser follows off-site).
  test.each([
    '/..//evil.example.com',
    '/.//evil.example.com',
    '/%2e%2e//evil.example.com',
    '/a/..//evil.example.com',
    '/a/../\\evil.example.com',
    '/..\\\\evil.example.com',
  ])('never produces an off-site Location from dot segments (%s)', (raw) => {
    const out = safeRedirectPath(raw, PUBLIC_URL);
    expect(out.startsWith('/')).toBe(true);
    expect(out.startsWith('//')).toBe(false);
    expect(out.startsWith('/\\')).toBe(false);
    expect(landsOn(out).origin).toBe(PUBLIC_URL);
  });

  test('a percent-encoded CRLF stays encoded (harmless in a Location header)', () => {
    const out = safeRedirectPath('/%0d%0aSet-Cookie:x=1', PUBLIC_URL);
    expect(out).not.toMatch(/[\r\n]/);
    expect(landsOn(out).origin).toBe(PUBLIC_URL);
  });

  test('the result never contains control characters or leaves the origin, for any single-character suffix', () => {
    for (let c = 0; c < 256; c++) {
      for (const raw of [`/${String.fromCharCode(c)}/evil.example.com`, `/${String.fromCharCode(c)}`]) {
        const out = safeRedirectPath(raw, PUBLIC_URL);
        // eslint-disable-next-line no-control-regex -- asserting that no C0 control or DEL survives
        expect(out).not.toMatch(/[\u0000-\u001f\u007f]/);
        expect(out.startsWith('/')).toBe(true);
        expect(out.startsWith('//')).toBe(false);
        expect(landsOn(out).origin).toBe(PUBLIC_URL);
      }
    }
  });
});
