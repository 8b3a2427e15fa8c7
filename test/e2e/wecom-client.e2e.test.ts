/**
 * The H5 as the WeCom client opens it, and in English, in headless Chromium at phone size against
 * the real server (SQLite, built h5/dist) and the WeCom simulator with the demo corp 星河电商.
 *
 * Inside WeCom (User-Agent with `wxwork`) sign-in goes through OAuth (open.weixin.qq.com/connect/
 * oauth2/authorize … #wechat_redirect) instead of the desktop web-login page, and the H5 asks the
 * server for a JS-SDK signature of the page. Headless Chromium has no WeCom JS bridge, so these tests
 * check what the page asks our server for (and that the signature verifies against the simulator's
 * jsapi_ticket), and that nothing throws; the 发消息 tests install a fake `WeixinJSBridge` before the
 * page loads and check what @wecom/jssdk asks the client for (agentConfig, then openEnterpriseChat).
 *
 * English: the language switch on /me; home, team and me then show no Chinese UI text (member and
 * department names are data and stay Chinese), and counts are pluralised ('1 person', '2 people').
 * Screenshots land in test/artifacts/screenshots/wecom-*.png and en-*.png.
 */
import { createHash } from 'node:crypto';
import type { Page, Request } from 'playwright-core';
import type { JssdkConfigResponse } from '@shopcrew/shared';
import { DEMO_CREDENTIALS, DEMO_DEPARTMENTS as D, DEMO_USERS as U } from '../../scripts/wecom-sim';
import { PHONE_CONTEXT } from '../support/browser';
import { chineseLines, useBrowserStack, visibleText, describeBrowser } from '../support/e2e';
import { waitFor } from '../support/wait';

/** WeCom 4.1 on iOS, as the client sends it (the H5 and the server look for `wxwork`). */
const WECOM_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.20 MicroMessenger/7.0.1 Language/zh ColorScheme/Light';

const sha1 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');

describeBrowser('the H5 inside WeCom and in English (Chromium 360×640)', () => {
  const e2e = useBrowserStack();
  const { url, shot } = e2e;

  /** A fresh phone profile; every request the page makes is recorded in `requests`. */
  async function newPage(options: { userAgent?: string; locale?: string } = {}): Promise<{ page: Page; requests: Request[] }> {
    const page = await e2e.newPage({ ...PHONE_CONTEXT, ...options });
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));
    return { page, requests };
  }

  const jssdkRequests = (requests: Request[]) => requests.filter((r) => new URL(r.url()).pathname === '/api/wecom/jssdk-config');

  describe('inside the WeCom client (User-Agent wxwork)', () => {
    test('signs in through OAuth, not the web-login QR page, and lands on the deep link', async () => {
      const { page } = await newPage({ userAgent: WECOM_UA });
      const login = page.waitForResponse((r) => new URL(r.url()).pathname === '/auth/wecom/login');
      await page.goto(url('/team?from=workbench'));
      const location = (await login).headers()['location']!;
      await page.waitForURL((u) => u.href.startsWith(e2e.stack.sim.url));

      // Exactly the documented authorize URL, fragment included, and not the desktop web login.
      const authorize = new URL(location);
      expect(`${authorize.origin}${authorize.pathname}`).toBe(`${e2e.stack.sim.url}/connect/oauth2/authorize`);
      expect(authorize.hash).toBe('#wechat_redirect');
      expect([...authorize.searchParams.keys()]).toEqual(['appid', 'redirect_uri', 'response_type', 'scope', 'state', 'agentid']);
      const state = authorize.searchParams.get('state')!;
      expect(Object.fromEntries(authorize.searchParams)).toEqual({
        appid: DEMO_CREDENTIALS.corpId,
        redirect_uri: `${e2e.stack.baseUrl}/auth/wecom/callback`,
        response_type: 'code',
        scope: 'snsapi_base',
        state,
        agentid: DEMO_CREDENTIALS.agentId,
      });
      expect(state).toMatch(/^[a-zA-Z0-9]{1,128}$/);
      expect(page.url()).toBe(location); // the browser kept #wechat_redirect
      expect(page.url()).not.toContain('/wwlogin/sso/login');
      await shot(page, 'wecom-oauth');

      // The simulator stands in for WeCom's silent redirect with a chooser.
      await page.click(`a[data-userid="${U.csAgent}"]`);
      await page.waitForURL(url('/team?from=workbench'));
      await page.locator('[data-testid="department-tree"]').waitFor({ state: 'visible' });
      expect(await page.textContent('[data-testid="department-tree"]')).toContain('星河电商');
    });

    test('asks the server to sign the page for the JS-SDK, and the signature verifies with the jsapi_ticket', async () => {
      const { page, requests } = await newPage({ userAgent: WECOM_UA });
      await page.goto(url('/me'));
      await page.waitForURL((u) => u.href.startsWith(e2e.stack.sim.url));
      const signed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/wecom/jssdk-config');
      await page.click(`a[data-userid="${U.csAgent}"]`);
      await page.waitForURL(url('/me'));
      await checkSignature(await signed, url('/me'));

      // A page opened with a #fragment: the H5 asks for the URL without it (the client signs location.href.split('#')[0]).
      const again = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/wecom/jssdk-config');
      await page.goto(url('/team/3?tab=members#top'));
      await checkSignature(await again, url('/team/3?tab=members'));
      await page.locator('[data-testid="member-list"]').waitFor({ state: 'visible' });
      await shot(page, 'wecom-team-department');

      // One signature request per page load: the SDK's own signature callbacks reuse it.
      await waitFor(() => page.evaluate(() => document.readyState === 'complete'), 'page loaded');
      expect(jssdkRequests(requests)).toHaveLength(2);
      // Nothing but our server and the simulator was asked for anything.
      const hosts = new Set(requests.map((r) => new URL(r.url()).origin));
      expect([...hosts].sort()).toEqual([e2e.stack.baseUrl, e2e.stack.sim.url].sort());
    });

    async function checkSignature(res: import('playwright-core').Response, pageUrl: string): Promise<void> {
      expect(res.status()).toBe(200);
      expect(new URL(res.url()).searchParams.get('url')).toBe(pageUrl);
      const body = (await res.json()) as JssdkConfigResponse;
      expect(body).toMatchObject({ corpId: DEMO_CREDENTIALS.corpId, agentId: DEMO_CREDENTIALS.agentId, url: pageUrl });
      const [jsapiTicket] = e2e.stack.sim.issuedTickets('jsapi');
      const [agentTicket] = e2e.stack.sim.issuedTickets('agent_config');
      expect(e2e.stack.sim.issuedTickets('jsapi')).toHaveLength(1); // cached by the server, shared by every page
      // doc 90506: sha1("jsapi_ticket=…&noncestr=…&timestamp=…&url=…"), recomputed here from the simulator's tickets.
      const expected = (ticket: string, s: JssdkConfigResponse['config']) =>
        sha1(`jsapi_ticket=${ticket}&noncestr=${s.nonceStr}&timestamp=${s.timestamp}&url=${pageUrl}`);
      expect(body.config.signature).toBe(expected(jsapiTicket!, body.config));
      expect(body.agentConfig.signature).toBe(expected(agentTicket!, body.agentConfig));
      expect(Math.abs(body.config.timestamp - Date.now() / 1000)).toBeLessThan(60);
      expect(
        e2e.stack.sim.verifyJsSdkSignature('jsapi', {
          noncestr: body.config.nonceStr,
          timestamp: body.config.timestamp,
          url: pageUrl,
          signature: body.config.signature,
        }),
      ).toBe(true);
    }

    test('outside WeCom the same page asks for no JS-SDK signature', async () => {
      const { page, requests } = await newPage();
      await page.goto(url('/me'));
      await page.waitForURL((u) => u.href.startsWith(e2e.stack.sim.url));
      await page.click(`a[data-userid="${U.csAgent}"]`);
      await page.waitForURL(url('/me'));
      await page.locator('[data-testid="me-permissions"]').waitFor({ state: 'visible' });
      // Inside WeCom the request follows the first page within an idle callback; give the same page the same chance.
      await page.evaluate(() => new Promise<void>((resolve) => (window.requestIdleCallback ?? setTimeout)(() => resolve())));
      await page.goto(url('/team'));
      await page.locator('[data-testid="department-tree"]').waitFor({ state: 'visible' });
      expect(jssdkRequests(requests).map((r) => r.url())).toEqual([]);
    });
  });

  describe('发消息 through the WeCom JS bridge (a fake one: headless Chromium has none)', () => {
    interface Invoked {
      name: string;
      params: Record<string, unknown>;
    }

    /**
     * Inside the client, @wecom/jssdk talks to WeCom only through `window.WeixinJSBridge.invoke(name,
     * params, callback)`, and reads a call as done when the answer's `err_msg` is `<name>:ok`. This one,
     * installed before any script of the page runs, answers every call so and records it here.
     */
    async function fakeWecomBridge(page: Page): Promise<Invoked[]> {
      const invoked: Invoked[] = [];
      const context = page.context();
      await context.exposeFunction('__wecomInvoked', (name: string, params: Record<string, unknown>) => invoked.push({ name, params }));
      await context.addInitScript(() => {
        const w = window as unknown as { WeixinJSBridge?: unknown; __wecomInvoked(name: string, params: unknown): Promise<unknown> };
        w.WeixinJSBridge = {
          invoke(name: string, params: unknown, callback: (res: { err_msg: string }) => void) {
            void w.__wecomInvoked(name, params);
            setTimeout(() => callback({ err_msg: `${name}:ok` }), 0);
          },
          on() {},
        };
      });
      return invoked;
    }

    test("tapping 发消息 on a member opens WeCom's chat with that userid, after agentConfig with our server's signature", async () => {
      const { page } = await newPage({ userAgent: WECOM_UA });
      const invoked = await fakeWecomBridge(page);
      const deptPath = `/team/${D.csPresale}`;
      await page.goto(url(deptPath));
      await page.waitForURL((u) => u.href.startsWith(e2e.stack.sim.url));
      const signed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/wecom/jssdk-config');
      await page.click(`a[data-userid="${U.csLead}"]`);
      await page.waitForURL(url(deptPath));
      const { agentConfig } = (await (await signed).json()) as JssdkConfigResponse;

      // ww.register in WeCom ≥ 3.0.24 with getAgentConfigSignature: agentConfig, signed by our server for this page.
      const agent = await waitFor(() => invoked.find((c) => c.name === 'agentConfig'), 'agentConfig invoked on the bridge');
      expect(agent.params).toEqual({
        corpid: DEMO_CREDENTIALS.corpId,
        agentid: String(DEMO_CREDENTIALS.agentId),
        timestamp: String(agentConfig.timestamp),
        nonceStr: agentConfig.nonceStr,
        signature: agentConfig.signature,
        jsApiList: ['scanQRCode', 'openUserProfile', 'openEnterpriseChat', 'chooseImage', 'uploadImage'],
      });
      const signedFor = { noncestr: agentConfig.nonceStr, timestamp: agentConfig.timestamp, url: url(deptPath), signature: agentConfig.signature };
      expect(e2e.stack.sim.verifyJsSdkSignature('agent_config', signedFor)).toBe(true);

      // 发消息 on everyone but oneself.
      const list = page.locator('[data-testid="member-list"]');
      await list.waitFor({ state: 'visible' });
      expect(await list.locator(`[data-userid="${U.csLead}"] [data-testid="chat"]`).count()).toBe(0);
      const chat = list.locator(`[data-userid="${U.csAgent}"] [data-testid="chat"]`);
      expect(await chat.getAttribute('aria-label')).toBe('给 李娜 发消息');
      await shot(page, 'wecom-team-chat');

      const before = invoked.length;
      await chat.click();
      const open = await waitFor(() => invoked.slice(before).find((c) => c.name === 'openEnterpriseChat'), 'openEnterpriseChat invoked on the bridge');
      // One-to-one: her userid alone, no group name; made under the agentConfig above.
      expect(open.params).toMatchObject({ userIds: U.csAgent, useridlist: U.csAgent, groupName: '', chatId: '', verifySignature: agentConfig.signature });
      await chat.locator('.van-button__loading').waitFor({ state: 'detached' });
      expect(invoked.slice(before).map((c) => c.name)).toEqual(['openEnterpriseChat']); // not the row's own tap (openUserProfile)
      expect(await page.locator('.van-toast').count()).toBe(0); // no 无法打开会话
    });

    test('outside WeCom the same list offers no 发消息 and the bridge is never called', async () => {
      const { page } = await newPage();
      const invoked = await fakeWecomBridge(page);
      await e2e.signIn(page, U.csLead, `/team/${D.csPresale}`);
      const list = page.locator('[data-testid="member-list"]');
      await list.waitFor({ state: 'visible' });
      expect(await list.locator(`[data-userid="${U.csAgent}"]`).count()).toBe(1);
      expect(await list.locator('[data-testid="chat"]').count()).toBe(0);
      await waitFor(() => page.evaluate(() => document.readyState === 'complete'), 'page loaded');
      expect(invoked).toEqual([]);
    });
  });

  describe('in English', () => {
    /** One department with one member, so both plural forms are on screen whatever the count semantics. */
    const SOLO_DEPT = 71;

    beforeAll(async () => {
      await e2e.stack.sim.createParty({ id: SOLO_DEPT, name: '直播组', parentid: D.ops });
      await e2e.stack.sim.createUser({ userid: 'zhibo', name: '小播', department: [SOLO_DEPT], position: '主播' });
      await waitFor(async () => (await e2e.stack.app.container.org.findMember('zhibo'))?.active === true, 'the one-member department mirrored');
    });

    /** Everything on the page that is data (names of people and departments, positions) and the language's own name. */
    function dataStrings(): string[] {
      const corp = e2e.stack.sim.corp;
      const words = [
        ...[...corp.departments.values()].map((d) => d.name),
        ...[...corp.members.values()].flatMap((m) => [m.name, m.position]),
        '简体中文', // the language switch names each language in itself
      ];
      return words;
    }

    async function expectNoChinese(page: Page, where: string): Promise<void> {
      const lines = await chineseLines(page, dataStrings());
      expect({ where, lines }).toEqual({ where, lines: [] });
    }

    test("home, team and me show no Chinese UI text, and counts read '1 person' / 'N people'", async () => {
      const { page } = await newPage({ locale: 'en-US' });
      await page.goto(url('/me'));
      await page.waitForURL((u) => u.href.startsWith(e2e.stack.sim.url));
      await page.click(`a[data-userid="${U.csLead}"]`);
      await page.waitForURL(url('/me'));
      await page.locator('[data-testid="language-switch"]').waitFor({ state: 'visible' });
      expect(await page.textContent('.van-tabbar')).toContain('我的'); // zh-CN until switched

      await page.click('[data-locale="en"]');
      await waitFor(() => page.evaluate(() => document.documentElement.lang === 'en'), 'the English messages loaded');
      await waitFor(async () => (await page.textContent('.van-tabbar'))?.includes('Me'), 'the tab bar in English');
      // The switch shows the choice: English checked, 简体中文 not.
      await page.locator('[data-locale="zh-CN"] .van-radio__icon--checked').waitFor({ state: 'detached' });
      expect(await page.locator('[data-locale="en"] .van-radio__icon--checked').count()).toBe(1);
      expect(await page.textContent('[data-testid="me-roles"]')).toContain('CS lead');
      expect(await page.textContent('.me-profile__userid')).toBe(`User ID: ${U.csLead}`);
      await expectNoChinese(page, '/me');
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, 'en-me', true);

      await page.click('.van-tabbar-item:has-text("Home")');
      await page.waitForURL(url('/'));
      await page.locator('[data-testid="work-cards"]').waitFor({ state: 'visible' });
      expect(await page.textContent('[data-testid="greeting"]')).toMatch(/^Good (morning|day|afternoon|evening), 王芳$/);
      expect(await page.textContent('[data-testid="demo-banner"]')).toContain('Demo mode');
      await expectNoChinese(page, '/');
      await shot(page, 'en-home');

      // 王芳's bar is full (Home, Orders, After-sales, Checklists, Me): Team opens from More apps.
      await page.click('[data-testid="more-apps"] [data-app="team"]');
      await page.waitForURL(url('/team'));
      const tree = page.locator('[data-testid="department-tree"]');
      await tree.waitFor({ state: 'visible' });
      await expectNoChinese(page, '/team');
      // Every count is the right form of its own number, and both forms are on screen.
      const counts = await tree.locator('.dept-node__count').allTextContents();
      expect(counts.length).toBeGreaterThan(5);
      for (const text of counts) {
        const n = Number(/^(\d+)/.exec(text.trim())?.[1]);
        expect(text.trim()).toBe(n === 1 ? '1 person' : `${n} people`);
      }
      expect(await page.locator(`[data-department-id="${SOLO_DEPT}"] .dept-node__count`).first().textContent()).toBe('1 person');
      expect(counts.some((c) => /^([02-9]|\d\d+) people$/.test(c.trim()))).toBe(true);
      expect(await tree.textContent()).not.toMatch(/\b1 people\b/);
      await shot(page, 'en-team');

      // A department page: its member count and its sub-departments' counts.
      await page.goto(url(`/team/${SOLO_DEPT}`));
      await page.locator('[data-testid="member-list"]').waitFor({ state: 'visible' });
      expect((await page.textContent('.dept-page__count'))?.trim()).toBe('1 person');
      await expectNoChinese(page, `/team/${SOLO_DEPT}`);
      await page.goto(url(`/team/${D.ops}`));
      await page.locator('[data-testid="member-list"]').waitFor({ state: 'visible' });
      const opsCount = (await page.textContent('.dept-page__count'))!.trim();
      expect(opsCount).toBe(`${await page.locator('[data-testid="member-list"] > *').count()} people`);
      expect(await page.textContent('.dept-page__subs')).toContain('1 person'); // the 直播组 row
      expect(await visibleText(page)).not.toMatch(/\b1 people\b/);
      await expectNoChinese(page, `/team/${D.ops}`);
      await shot(page, 'en-team-department');

      // The choice sticks: a fresh load comes back in English.
      await page.goto(url('/me'));
      await page.locator('[data-testid="me-permissions"]').waitFor({ state: 'visible' });
      expect(await page.textContent('.van-tabbar')).toContain('Me');
      await expectNoChinese(page, '/me (reloaded)');
    });
  });
});
