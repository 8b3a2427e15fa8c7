/**
 * What a security probe found, each fixed and pinned here over real HTTP (server + simulator, both
 * databases): the CSRF check on writes, security headers on every response, 413 for an oversized
 * chunked body, and a session cookie whose `sid.sig` is really verified.
 */
import { request as httpRequest } from 'node:http';
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { testDatabases } from '../support/databases';
import { Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';

interface ErrorBody {
  error: { code: string; message: string };
}

/** A raw write that sets exactly the headers given (the Browser helper would add Origin and JSON). */
function rawPost(browser: Browser, path: string, headers: Record<string, string>, body: string): Promise<Response> {
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return fetch(`${browser.baseUrl}${path}`, { method: 'POST', headers: { cookie, ...headers }, body, redirect: 'manual' });
}

/** Send `total` bytes as a chunked body (no Content-Length) and return status, headers and body. */
function chunkedPost(
  url: string,
  total: number,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked', ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(8 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe.each(testDatabases())('security over HTTP ($label)', ({ kind }) => {
  let stack: Stack;
  let owner: Browser;
  const attackerOrigin = (): string => `http://127.0.0.1:${Number(new URL(stack.baseUrl).port) + 1}`;
  const grant = JSON.stringify({ role: 'owner', subjectType: 'user', subjectId: U.csAgent });
  const rolesOfAgent = async () => {
    const { body } = await owner.json<{ bindings: Array<{ role: string; subjectId: string }> }>('/api/roles');
    return body.bindings.filter((b) => b.subjectId === U.csAgent && b.role === 'owner');
  };

  beforeAll(async () => {
    stack = await startStack({ db: kind });
    owner = (await signIn(stack, U.owner)).browser;
  }, 60_000);
  afterAll(() => stack?.close());

  describe('CSRF: writes need our own Origin and a JSON body', () => {
    test.each([
      ['text/plain from another port of the same host', { origin: attackerOrigin, 'content-type': 'text/plain' }, 'cross_site_request'],
      ['JSON from another port of the same host', { origin: attackerOrigin, 'content-type': 'application/json' }, 'cross_site_request'],
      ['no Origin and Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site', 'content-type': 'application/json' }, 'cross_site_request'],
      ['no Origin and no Sec-Fetch-Site', { 'content-type': 'application/json' }, 'cross_site_request'],
      ['Origin: null (sandboxed frame, data: URL)', { origin: (): string => 'null', 'content-type': 'application/json' }, 'cross_site_request'],
      ['our Origin but text/plain (a form post)', { origin: (): string => stack.baseUrl, 'content-type': 'text/plain' }, 'json_required'],
      ['our Origin but no content type', { origin: (): string => stack.baseUrl }, 'json_required'],
    ] as const)('refused: %s', async (_name, spec, code) => {
      const headers = Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, typeof v === 'function' ? v() : v]));
      const res = await rawPost(owner, '/api/roles/bindings', headers, grant);
      expect(res.status).toBe(403);
      expect(((await res.json()) as ErrorBody).error.code).toBe(code);
      expect(await rolesOfAgent()).toEqual([]);
    });

    test('accepted: our Origin, or Sec-Fetch-Site: same-origin (the Vite dev server), with JSON', async () => {
      const viaOrigin = await rawPost(owner, '/api/roles/bindings', { origin: stack.baseUrl, 'content-type': 'application/json; charset=utf-8' }, grant);
      expect(viaOrigin.status).toBe(201);
      const { id } = (await viaOrigin.json()) as { id: number };
      const del = await owner.request(`/api/roles/bindings/${id}`, {
        method: 'DELETE',
        headers: { origin: 'http://127.0.0.1:5173', 'sec-fetch-site': 'same-origin' },
      });
      expect(del.status).toBe(204);
      expect(await rolesOfAgent()).toEqual([]);
    });

    test('logout from another site is refused; the session survives', async () => {
      const member = (await signIn(stack, U.designer)).browser;
      const res = await rawPost(member, '/auth/logout', { origin: attackerOrigin(), 'content-type': 'application/json' }, '');
      expect(res.status).toBe(403);
      expect((await member.json('/api/me')).status).toBe(200);
    });

    test('the WeCom callback is the declared exception: a signed POST without Origin is not refused as CSRF', async () => {
      const res = await fetch(`${stack.baseUrl}/wecom/callback?msg_signature=x&timestamp=1&nonce=n`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: '<xml></xml>',
      });
      const body = (await res.json()) as ErrorBody;
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(body.error.code).not.toBe('cross_site_request');
      expect(body.error.code).not.toBe('json_required');
    });
  });

  describe('security headers', () => {
    const expectHeaders = (res: Response) => {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("font-src 'self'");
      expect(csp).not.toMatch(/alicdn|jsdelivr|unpkg/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('strict-transport-security')).toBeNull(); // http here; https adds it
    };

    test.each(['/', '/team', '/healthz', '/api/me', '/api/no-such-route', '/assets/missing.js', '/auth/wecom/login'])('on %s', async (path) => {
      const res = await fetch(`${stack.baseUrl}${path}`, { redirect: 'manual' });
      expectHeaders(res);
      if (path.startsWith('/api/')) expect(res.headers.get('cache-control')).toBe('no-store');
    });

    test('API answers to a signed-in member are never cached', async () => {
      const res = await owner.request('/api/me');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expectHeaders(res);
    });
  });

  describe('oversized bodies get 413 {error}, not a reset connection', () => {
    test('a chunked JSON write past 64 KiB', async () => {
      const cookie = [...owner.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const res = await chunkedPost(`${stack.baseUrl}/api/roles/bindings`, 256 * 1024, { cookie, origin: stack.baseUrl, 'content-type': 'application/json' });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).error.code).toBe('payload_too_large');
      expect(res.headers.connection).toBe('close');
    });

    test('a chunked WeCom callback past 64 KiB', async () => {
      const res = await chunkedPost(`${stack.baseUrl}/wecom/callback?msg_signature=x&timestamp=1&nonce=n`, 200 * 1024, { 'content-type': 'text/xml' });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).error.code).toBe('payload_too_large');
    });

    test('a Content-Length past the cap gets the same answer', async () => {
      const res = await fetch(`${stack.baseUrl}/wecom/callback?msg_signature=x&timestamp=1&nonce=n`, { method: 'POST', body: 'x'.repeat(100 * 1024) });
      expect(res.status).toBe(413);
      expect(((await res.json()) as ErrorBody).error.code).toBe('payload_too_large');
    });

    test('the server still answers afterwards', async () => {
      expect((await owner.json('/api/me')).status).toBe(200);
    });
  });

  describe('the session cookie signature is verified', () => {
    test('sign-in sets sid and sid.sig', async () => {
      const { browser } = await signIn(stack, U.warehouse);
      expect(browser.cookies.get('sid')).toBeTruthy();
      expect(browser.cookies.get('sid.sig')).toBeTruthy();
    });

    test.each([
      ['a forged sid.sig', (b: Browser) => b.cookies.set('sid.sig', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA')],
      ['no sid.sig', (b: Browser) => b.cookies.delete('sid.sig')],
      ["another session's sid.sig", (b: Browser, other: Browser) => b.cookies.set('sid.sig', other.cookies.get('sid.sig')!)],
    ])('a valid session token with %s is refused', async (_name, tamper) => {
      const { browser } = await signIn(stack, U.warehouse2);
      const { browser: other } = await signIn(stack, U.finance);
      expect((await browser.json('/api/me')).status).toBe(200);
      tamper(browser, other);
      const res = await browser.json<ErrorBody>('/api/me');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    });
  });
});
