/**
 * When a session stops working, over HTTP against the real server + simulator, on every database:
 * deactivation in WeCom (seen by the full sync or by a change_contact event) revokes the member's
 * sessions, a session past SESSION_TTL_HOURS is refused, and the session and sign-in cookies carry
 * Secure exactly when the app is served over https.
 *
 * The exact expiry boundaries (state 10 min, session TTL) are checked with an injected clock in
 * test/integration/signin-state.test.ts; single use and browser binding of the state in signin.test.ts.
 */
import { DEMO_USERS as U } from '../../scripts/wecom-sim';
import { Session } from '../../server/src/modules/auth/session.entity';
import { Member } from '../../server/src/modules/org/member.entity';
import { testDatabases } from '../support/databases';
import { Browser, beginSignin, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

interface ErrorBody {
  error: { code: string };
}

/** `Set-Cookie` headers of a response by cookie name, attributes lower-cased (`secure` → true). */
function setCookies(res: Response): Map<string, { value: string; attrs: Map<string, string | true> }> {
  const out = new Map<string, { value: string; attrs: Map<string, string | true> }>();
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair!.indexOf('=');
    out.set(pair!.slice(0, eq), {
      value: pair!.slice(eq + 1),
      attrs: new Map(
        attrs.map((a): [string, string | true] => {
          const i = a.indexOf('=');
          return i === -1 ? [a.toLowerCase(), true] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)];
        }),
      ),
    });
  }
  return out;
}

const sessionsOf = (stack: Stack, userid: string) => stack.app.container.ds.getRepository(Session).findBy({ userid });

describe.each(testDatabases())('deactivation revokes sessions ($label)', ({ kind }) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ db: kind });
  });
  afterAll(() => stack?.close());

  const me = async (b: Browser) => (await b.request('/api/me')).status;

  it('a member removed in WeCom while the server missed the event is signed out by the next full sync', async () => {
    const userid = U.csAgent3;
    const { browser } = await signIn(stack, userid);
    expect(await me(browser)).toBe(200);
    stack.sim.corp.removeMember(userid); // no change_contact event reaches the server
    expect(await me(browser)).toBe(200); // the mirror cannot know yet
    const report = await stack.app.container.contactSync.run('test');
    expect(report.deactivated).toBe(1);
    const res = await browser.request('/api/me');
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).error.code).toBe('unauthenticated');
    expect(await stack.app.container.ds.getRepository(Member).findOneBy({ userid })).toMatchObject({ active: false });
    // Refused at once (a session needs an active member); the rows are revoked by the auth module's member.left subscriber.
    await waitFor(async () => (await sessionsOf(stack, userid)).every((s) => s.revokedAt !== null), `${userid}'s sessions revoked`);
  });

  it('a member disabled in WeCom (status 2) while the server missed the event is signed out by the next full sync', async () => {
    const userid = U.marketing;
    const { browser } = await signIn(stack, userid);
    expect(await me(browser)).toBe(200);
    stack.sim.corp.updateMember(userid, { status: 2 }); // still listed by user/list, but disabled
    expect(await me(browser)).toBe(200);
    await stack.app.container.contactSync.run('test');
    expect(await me(browser)).toBe(401);
    expect(await stack.app.container.ds.getRepository(Member).findOneBy({ userid })).toMatchObject({ active: false, wecomStatus: 2 });
    // Refused at once (a session needs an active member); the rows are revoked by the auth module's member.left subscriber.
    await waitFor(async () => (await sessionsOf(stack, userid)).every((s) => s.revokedAt !== null), `${userid}'s sessions revoked`);
  });

  it('change_contact update_user with status 2 refuses the session on the next request, revoked for good', async () => {
    const userid = U.opsStaff2;
    const { browser } = await signIn(stack, userid);
    expect(await me(browser)).toBe(200);
    const delivered = await stack.sim.updateUser(userid, { status: 2 });
    expect(delivered.map((d) => d.status)).toEqual([200]);
    await waitFor(async () => (await me(browser)) === 401, `${userid}'s session refused after update_user status 2`);
    // Refused at once (a session needs an active member); the rows are revoked by the auth module's member.left subscriber.
    await waitFor(async () => (await sessionsOf(stack, userid)).every((s) => s.revokedAt !== null), `${userid}'s sessions revoked`);
    const again = await signIn(stack, userid);
    expect(again.landed).toBe('/signin-error?reason=deactivated');

    // Re-enabled in WeCom: the member may sign in again, but the old session stays dead (revoked, not just hidden).
    // A reduced update_user carries only ids, so a second one for the same member within the same
    // CreateTime second is byte-identical to the first and is taken for a WeCom retry (dedupe-key.ts):
    // let the second turn over first.
    const disabledAt = Math.floor(Date.now() / 1000);
    await waitFor(() => Math.floor(Date.now() / 1000) > disabledAt, 'the next CreateTime second', 2000);
    await stack.sim.updateUser(userid, { status: 1 });
    await waitFor(async () => (await stack.app.container.org.findMember(userid))?.active === true, `${userid} re-enabled in the mirror`);
    expect(await me(browser)).toBe(401);
    const fresh = await signIn(stack, userid);
    expect(fresh.landed).toBe('/');
    expect(await me(fresh.browser)).toBe(200);
  });
});

describe.each(testDatabases())('a session past SESSION_TTL_HOURS ($label)', ({ kind }) => {
  const TTL_MS = 4000;
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ db: kind, env: { SESSION_TTL_HOURS: String(TTL_MS / 3_600_000) } });
  });
  afterAll(() => stack?.close());

  it('is refused with 401, and its cookie said so', async () => {
    const before = Date.now();
    const browser = new Browser(stack.baseUrl);
    const { state } = await beginSignin(browser);
    const done = await browser.request(`/auth/wecom/callback?code=${stack.sim.issueCode(U.designLead)}&state=${state}`);
    expect(done.headers.get('location')).toBe('/');
    const after = Date.now();
    // The cookie lives as long as the session (an HTTP date: 1 s resolution).
    const expires = Date.parse(String(setCookies(done).get('sid')!.attrs.get('expires')));
    expect(expires).toBeGreaterThanOrEqual(before + TTL_MS - 1000);
    expect(expires).toBeLessThanOrEqual(after + TTL_MS);
    expect((await browser.request('/api/me')).status).toBe(200);

    await waitFor(async () => (await browser.request('/api/me')).status === 401, 'the session to expire', TTL_MS + 10_000, 100);
    const refusedAt = Date.now();
    expect(refusedAt - before).toBeGreaterThanOrEqual(TTL_MS); // not before its time
    // Expired, not revoked, and the member is still active: the TTL is what ended it.
    const [row] = await sessionsOf(stack, U.designLead);
    expect(row).toMatchObject({ revokedAt: null });
    expect(row!.expiresAt - row!.createdAt).toBe(TTL_MS);
    expect(await stack.app.container.org.findMember(U.designLead)).toMatchObject({ active: true });
    const res = await browser.request('/api/me');
    expect(((await res.json()) as ErrorBody).error.code).toBe('unauthenticated');
  }, 30_000);
});

describe.each(testDatabases())('sign-in cookies ($label)', ({ kind }) => {
  /** Sign in as `userid` sending `headers` on every request; returns the responses that set cookies. */
  async function signInWith(stack: Stack, userid: string, headers: Record<string, string>) {
    const browser = new Browser(stack.baseUrl);
    const login = await browser.request('/auth/wecom/login?redirect=/me', { headers });
    expect(login.status).toBe(302);
    const state = new URL(login.headers.get('location')!).searchParams.get('state')!;
    const callback = await browser.request(`/auth/wecom/callback?code=${stack.sim.issueCode(userid)}&state=${state}`, { headers });
    expect(callback.headers.get('location')).toBe('/me');
    return { browser, login, callback };
  }

  describe('on https (PUBLIC_URL https, TRUST_PROXY=1, X-Forwarded-Proto: https)', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({ db: kind, env: { PUBLIC_URL: 'https://shop.example.test', TRUST_PROXY: '1' } });
    });
    afterAll(() => stack?.close());

    it('the nonce and session cookies are Secure; HttpOnly; SameSite=Lax', async () => {
      const https = { 'x-forwarded-proto': 'https' };
      const { browser, login, callback } = await signInWith(stack, U.csAgent, https);
      expect(new URL(login.headers.get('location')!).searchParams.get('redirect_uri')).toBe('https://shop.example.test/auth/wecom/callback');

      const nonce = setCookies(login);
      const session = setCookies(callback);
      expect([...nonce.keys()].sort()).toEqual(['sc_oauth', 'sc_oauth.sig']);
      expect(session.has('sid')).toBe(true);
      for (const [name, cookie] of [...nonce, ...[...session].filter(([n]) => n.startsWith('sid'))]) {
        expect([name, cookie.attrs.get('secure'), cookie.attrs.get('httponly'), String(cookie.attrs.get('samesite')).toLowerCase()]).toEqual([
          name,
          true,
          true,
          'lax',
        ]);
      }
      expect(nonce.get('sc_oauth')!.attrs.get('path')).toBe('/auth');
      expect(session.get('sid')!.attrs.get('path')).toBe('/');
      expect((await browser.json<{ userid: string }>('/api/me', { headers: https })).body.userid).toBe(U.csAgent);
    });
  });

  describe('on https behind a proxy that is not trusted or sends no X-Forwarded-Proto (TRUST_PROXY unset)', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({ db: kind, env: { PUBLIC_URL: 'https://shop.example.test' } });
    });
    afterAll(() => stack?.close());

    it('sign-in still works and its cookies are Secure (PUBLIC_URL decides, not the hop)', async () => {
      const { browser, login, callback } = await signInWith(stack, U.csAgent, {});
      for (const [name, cookie] of [...setCookies(login), ...[...setCookies(callback)].filter(([n]) => n.startsWith('sid'))]) {
        expect([name, cookie.attrs.get('secure')]).toEqual([name, true]);
      }
      expect((await browser.json<{ userid: string }>('/api/me')).body.userid).toBe(U.csAgent);
    });
  });

  describe('on http', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({ db: kind });
    });
    afterAll(() => stack?.close());

    it('the same cookies are HttpOnly; SameSite=Lax but not Secure (a browser would drop them)', async () => {
      const { login, callback } = await signInWith(stack, U.csAgent, {});
      const cookies = [...setCookies(login), ...[...setCookies(callback)].filter(([n]) => n.startsWith('sid'))];
      expect(cookies.map(([n]) => n).sort()).toEqual(['sc_oauth', 'sc_oauth.sig', 'sid', 'sid.sig']);
      for (const [name, cookie] of cookies) {
        expect([name, cookie.attrs.has('secure'), cookie.attrs.get('httponly'), String(cookie.attrs.get('samesite')).toLowerCase()]).toEqual([
          name,
          false,
          true,
          'lax',
        ]);
      }
    });
  });
});
