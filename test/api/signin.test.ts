import type { MeResponse } from '@shopcrew/shared';
import { DEMO_CREDENTIALS, DEMO_USERS } from '../../scripts/wecom-sim';
import { testDatabases } from '../support/databases';
import { Browser, beginSignin, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

describe.each(testDatabases())('sign-in over HTTP against the simulator ($label)', ({ kind }) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ db: kind });
  });
  afterAll(() => stack?.close());

  it('sends a desktop browser to the WeCom web login with every documented parameter', async () => {
    const { location, state } = await beginSignin(new Browser(stack.baseUrl), '/team');
    expect(`${location.origin}${location.pathname}`).toBe(`${stack.sim.url}/wwlogin/sso/login`);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      login_type: 'CorpApp',
      appid: DEMO_CREDENTIALS.corpId,
      agentid: DEMO_CREDENTIALS.agentId,
      redirect_uri: `${stack.baseUrl}/auth/wecom/callback`,
      state,
    });
    expect(state).toMatch(/^[a-zA-Z0-9]{1,128}$/);
  });

  it('sends the WeCom client (UA wxwork) to OAuth authorize with #wechat_redirect', async () => {
    const browser = new Browser(stack.baseUrl, 'Mozilla/5.0 (iPhone) MicroMessenger/8.0 wxwork/4.1.0');
    const res = await browser.request('/auth/wecom/login?redirect=/');
    const raw = res.headers.get('location')!;
    expect(raw.startsWith(`${stack.sim.url}/connect/oauth2/authorize?appid=${DEMO_CREDENTIALS.corpId}&redirect_uri=`)).toBe(true);
    expect(raw.endsWith('#wechat_redirect')).toBe(true);
    const q = new URL(raw).searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('scope')).toBe('snsapi_base');
    expect(q.get('agentid')).toBe(DEMO_CREDENTIALS.agentId);
  });

  it('signs a member in through the chooser page and lands on the page they asked for', async () => {
    const browser = new Browser(stack.baseUrl);
    const { location } = await beginSignin(browser, '/team/2?tab=members');
    const page = await (await fetch(location)).text();
    const link = new RegExp(`href="([^"]+)"[^>]*data-userid="${DEMO_USERS.csAgent}"|data-userid="${DEMO_USERS.csAgent}"[^>]*href="([^"]+)"`).exec(page);
    expect(link).not.toBeNull();
    const href = (link![1] ?? link![2])!.replace(/&amp;/g, '&');
    const chosen = await fetch(new URL(href, stack.sim.url), { redirect: 'manual' });
    expect(chosen.status).toBe(302);
    const back = new URL(chosen.headers.get('location')!);
    const done = await browser.request(`${back.pathname}${back.search}`);
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/team/2?tab=members');
    const setCookie = done.headers.getSetCookie().find((c) => c.startsWith('sid='))!;
    expect(setCookie).toMatch(/httponly/i);
    expect(setCookie).toMatch(/samesite=lax/i);
    expect(setCookie).not.toMatch(/secure/i); // PUBLIC_URL is http here
    const me = await browser.json<MeResponse>('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.userid).toBe(DEMO_USERS.csAgent);
    expect(me.body.name).toBe('李娜');
    expect(me.body.roles).toEqual(['cs_agent']);
    expect(me.body.permissions).toContain('orders:claim');
    expect(me.body.permissions).not.toContain('audit:read');
    expect(me.body.departments.map((d) => d.name)).toContain('售前组');
  });

  it('refuses a forged state, a state from another browser, and a reused state', async () => {
    const a = new Browser(stack.baseUrl);
    const forged = await a.request(`/auth/wecom/callback?code=${stack.sim.issueCode(DEMO_USERS.csAgent)}&state=${'a'.repeat(48)}`);
    expect(forged.headers.get('location')).toBe('/signin-error?reason=bad_state');

    const { state } = await beginSignin(a);
    const b = new Browser(stack.baseUrl); // never started sign-in: no nonce cookie
    const stolen = await b.request(`/auth/wecom/callback?code=${stack.sim.issueCode(DEMO_USERS.csAgent)}&state=${state}`);
    expect(stolen.headers.get('location')).toBe('/signin-error?reason=bad_state');
    expect(b.cookies.has('sid')).toBe(false);

    // The browser that started it, replaying the very same state with its nonce cookie: refused the
    // second time (single use), not because of the browser binding.
    const nonceCookies = new Map([...a.cookies].filter(([name]) => name.startsWith('sc_oauth')));
    expect(nonceCookies.size).toBeGreaterThan(0);
    const ok = await a.request(`/auth/wecom/callback?code=${stack.sim.issueCode(DEMO_USERS.csAgent)}&state=${state}`);
    expect(ok.headers.get('location')).toBe('/');
    expect(a.cookies.has('sid')).toBe(true);
    const replay = new Browser(stack.baseUrl);
    for (const [name, value] of nonceCookies) replay.cookies.set(name, value);
    const again = await replay.request(`/auth/wecom/callback?code=${stack.sim.issueCode(DEMO_USERS.csAgent)}&state=${state}`);
    expect(again.headers.get('location')).toBe('/signin-error?reason=bad_state');
    expect(replay.cookies.has('sid')).toBe(false);
  });

  it('refuses a reused code', async () => {
    const code = stack.sim.issueCode(DEMO_USERS.csAgent);
    const first = new Browser(stack.baseUrl);
    const s1 = await beginSignin(first);
    expect((await first.request(`/auth/wecom/callback?code=${code}&state=${s1.state}`)).headers.get('location')).toBe('/');
    const second = new Browser(stack.baseUrl);
    const s2 = await beginSignin(second);
    const res = await second.request(`/auth/wecom/callback?code=${code}&state=${s2.state}`);
    expect(res.headers.get('location')).toBe('/signin-error?reason=bad_code');
    expect(second.cookies.has('sid')).toBe(false);
  });

  it.each(['//evil.example.com/x', 'https://evil.example.com/', '/\\evil.example.com', 'javascript:alert(1)', '/%0d%0aSet-Cookie:x=1'])(
    'never redirects off-site after sign-in (redirect=%s)',
    async (redirect) => {
      const { landed } = await signIn(stack, DEMO_USERS.csAgent, redirect);
      expect(landed.startsWith('/')).toBe(true);
      expect(landed.startsWith('//')).toBe(false);
      expect(new URL(landed, stack.baseUrl).origin).toBe(stack.baseUrl);
    },
  );

  it('tells an outsider they are not a member', async () => {
    const browser = new Browser(stack.baseUrl);
    const { state } = await beginSignin(browser);
    const res = await browser.request(`/auth/wecom/callback?code=${stack.sim.issueCode({ outsider: true })}&state=${state}`);
    expect(res.headers.get('location')).toBe('/signin-error?reason=not_member');
  });

  it('signs out: the session is revoked and audited', async () => {
    const { browser } = await signIn(stack, DEMO_USERS.warehouse);
    expect((await browser.request('/api/me')).status).toBe(200);
    const sid = browser.cookies.get('sid')!;
    expect((await browser.request('/auth/logout', { method: 'POST' })).status).toBe(204);
    const replay = await fetch(`${stack.baseUrl}/api/me`, { headers: { cookie: `sid=${sid}` } });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    const { browser: owner } = await signIn(stack, DEMO_USERS.owner);
    const audit = await owner.json<{ entries: Array<{ action: string; actor: string }> }>('/api/audit?limit=50');
    expect(audit.body.entries).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'auth.sign_out', actor: DEMO_USERS.warehouse })]));
  });

  it('revokes every session of a member deleted in WeCom at once, and refuses their next sign-in', async () => {
    const userid = DEMO_USERS.csAgent4;
    const { browser: phone } = await signIn(stack, userid);
    const { browser: desktop } = await signIn(stack, userid);
    for (const b of [phone, desktop]) expect((await b.request('/api/me')).status).toBe(200);
    // A sign-in under way when the member is deleted: WeCom issued the code just before.
    const late = new Browser(stack.baseUrl);
    const { state: lateState } = await beginSignin(late);
    const lateCode = stack.sim.issueCode(userid);
    const delivered = await stack.sim.deleteUser(userid);
    expect(delivered[0]!.status).toBe(200);
    await waitFor(async () => (await phone.request('/api/me')).status === 401, `${userid}'s first session refused after delete_user`);
    expect((await desktop.request('/api/me')).status).toBe(401); // every session, not just one
    const member = await stack.app.container.org.findMember(userid);
    expect(member).toMatchObject({ active: false }); // deactivated, never deleted
    const refused = await late.request(`/auth/wecom/callback?code=${lateCode}&state=${lateState}`);
    expect(refused.headers.get('location')).toBe('/signin-error?reason=deactivated');
    expect(late.cookies.has('sid')).toBe(false);
  });

  it('refuses sign-in to a member deactivated in the mirror even if WeCom still issues a code', async () => {
    const { ds, org } = stack.app.container;
    await ds.transaction((m) => org.deactivateMember(DEMO_USERS.designer, m));
    const again = await signIn(stack, DEMO_USERS.designer);
    expect(again.landed).toBe('/signin-error?reason=deactivated');
    expect(again.browser.cookies.has('sid')).toBe(false);
  });
});
