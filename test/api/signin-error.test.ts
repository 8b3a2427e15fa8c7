/**
 * A refused sign-in lands on /signin-error with the reason and, when the OAuth state told the server
 * where the member was going, that path: the page's 重新登录 goes back there instead of to `/`.
 */
import { DEMO_USERS as U, OUTSIDER } from '../../scripts/wecom-sim';
import { beginSignin, Browser } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';

describe('sign-in errors keep the path the member was opening', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ db: 'sqlite' });
  }, 60_000);
  afterAll(() => stack?.close());

  const finish = async (browser: Browser, state: string, userid: string) => {
    const res = await browser.request(
      `/auth/wecom/callback?code=${encodeURIComponent(stack.sim.issueCode(userid === OUTSIDER ? { outsider: true } : userid))}&state=${state}`,
    );
    expect(res.status).toBe(302);
    return res.headers.get('location');
  };

  test('not_member: back to the deep link', async () => {
    const browser = new Browser(stack.baseUrl);
    const { state } = await beginSignin(browser, '/team/3?tab=members');
    expect(await finish(browser, state, OUTSIDER)).toBe(`/signin-error?reason=not_member&redirect=${encodeURIComponent('/team/3?tab=members')}`);
  });

  test('bad_state (a state used twice): back to the deep link of that state', async () => {
    const browser = new Browser(stack.baseUrl);
    const { state } = await beginSignin(browser, '/me');
    expect(await finish(browser, state, U.csAgent)).toBe('/me');
    expect(await finish(browser, state, U.csAgent)).toBe(`/signin-error?reason=bad_state&redirect=${encodeURIComponent('/me')}`);
  });

  test('bad_state from another browser, and a malformed state', async () => {
    const starter = new Browser(stack.baseUrl);
    const { state } = await beginSignin(starter, '/team');
    expect(await finish(new Browser(stack.baseUrl), state, U.csAgent)).toBe(`/signin-error?reason=bad_state&redirect=${encodeURIComponent('/team')}`);
    expect(await finish(new Browser(stack.baseUrl), 'nope', U.csAgent)).toBe('/signin-error?reason=bad_state');
  });

  test('the home page needs no redirect parameter', async () => {
    const browser = new Browser(stack.baseUrl);
    const { state } = await beginSignin(browser, '/');
    expect(await finish(browser, state, OUTSIDER)).toBe('/signin-error?reason=not_member');
  });
});
