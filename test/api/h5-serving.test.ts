import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_DEPARTMENTS, DEMO_USERS } from '../../scripts/wecom-sim';
import { Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

const built = existsSync(join(__dirname, '../../h5/dist/index.html'));
if (!built && process.env.CI) throw new Error('h5/dist is not built: run npm run build -w h5 before the tests');

const bootstrapOf = (html: string) => {
  const m = /<script id="bootstrap" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
  return m ? (JSON.parse(m[1]!) as { me: { userid: string; name: string }; home: unknown }) : null;
};

(built ? describe : describe.skip)('serving the H5 (history fallback, first-paint bootstrap)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('serves the plain, cacheable page to a visitor who is not signed in', async () => {
    const res = await fetch(`${stack.baseUrl}/team/3?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('<div id="app"');
    expect(bootstrapOf(html)).toBeNull();
    expect(res.headers.get('cache-control')).not.toMatch(/no-store/);
  });

  it('embeds the member and home data for a signed-in member, never cached by shared caches', async () => {
    const { browser } = await signIn(stack, DEMO_USERS.csAgent);
    const res = await browser.request('/team');
    const boot = bootstrapOf(await res.text());
    expect(boot?.me.userid).toBe(DEMO_USERS.csAgent);
    const api = await browser.json<{ userid: string }>('/api/me');
    expect(boot?.me).toEqual(api.body);
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
    expect(res.headers.get('cache-control')).toMatch(/private/);
    expect(res.headers.get('vary')).toMatch(/cookie/i);
  });

  it('escapes member data so it cannot break out of the script tag', async () => {
    await stack.sim.createUser({ userid: 'xss', name: '</script><img src=x onerror=alert(1)>', department: [DEMO_DEPARTMENTS.cs] });
    await waitFor(() => stack.app.container.org.findMember('xss'), 'the create_user event for xss applied');
    const { browser } = await signIn(stack, 'xss');
    const html = await (await browser.request('/')).text();
    expect(html).not.toContain('</script><img');
    expect(bootstrapOf(html)?.me.name).toBe('</script><img src=x onerror=alert(1)>');
  });

  it('answers a missing asset with 404, not the page', async () => {
    expect((await fetch(`${stack.baseUrl}/assets/nope-123.js`)).status).toBe(404);
  });

  it('sends a revoked session the plain page (the H5 then signs in again)', async () => {
    const browser = new Browser(stack.baseUrl);
    browser.cookies.set('sid', 'not-a-session');
    const html = await (await browser.request('/')).text();
    expect(bootstrapOf(html)).toBeNull();
  });
});
