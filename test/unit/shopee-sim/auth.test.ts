// Shop authorization and tokens (https://open.shopee.com/developer-guide/20; v2.public.get_access_token and
// v2.public.refresh_access_token pages): auth page, single-use codes, 4 h access tokens, single-use refresh tokens,
// and a refresh whose answer is lost.
import type { ShopeeSim } from '../../../scripts/shopee-sim';
import { client, PARTNER, sign, startTestSim } from './helpers';

describe('shopee-sim authorization', () => {
  let sim: ShopeeSim;
  let api: ReturnType<typeof client>;
  let shopId: number;

  beforeEach(async () => {
    sim = await startTestSim();
    api = client(sim);
    shopId = sim.addShop({ name: '星河生活館', region: 'TW' }).shopId;
    sim.addShop({ name: 'Second Shop', region: 'MY' });
  });
  afterEach(() => sim.close());

  test('auth_partner page lists the shops, each linking to redirect&code&shop_id', async () => {
    const redirect = 'https://app.example.com/shopee/callback?state=abc123';
    const r = await fetch(sim.authorizationUrl(redirect));
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('Shopee 模拟器 – 授权店铺');
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(links).toHaveLength(2);
    const u = new URL(links[0]!);
    expect(u.origin + u.pathname).toBe('https://app.example.com/shopee/callback');
    expect(u.searchParams.get('state')).toBe('abc123');
    expect(u.searchParams.get('code')).toMatch(/^[0-9a-f]{32}$/);
    expect(Number(u.searchParams.get('shop_id'))).toBe(shopId);
    // The page's code works once.
    const body = { code: u.searchParams.get('code'), partner_id: PARTNER.partnerId, shop_id: shopId };
    expect((await api.post('/api/v2/auth/token/get', body)).body['error']).toBe('');
  });

  test('auth_partner is signed as a Public API: a bad sign answers error_sign', async () => {
    const ts = sim.now();
    const r = await fetch(
      `${sim.url}/api/v2/shop/auth_partner?partner_id=${PARTNER.partnerId}&timestamp=${ts}&sign=${'0'.repeat(64)}&redirect=https%3A%2F%2Fx`,
    );
    expect(r.status).toBe(403);
    expect(await r.json()).toMatchObject({ error: 'error_sign', message: 'Wrong sign.' });
    const good = sign(PARTNER.partnerKey, `${PARTNER.partnerId}/api/v2/shop/auth_partner${ts}`);
    expect(
      (await fetch(`${sim.url}/api/v2/shop/auth_partner?partner_id=${PARTNER.partnerId}&timestamp=${ts}&sign=${good}&redirect=https%3A%2F%2Fx`)).status,
    ).toBe(200);
  });

  test('token/get: access 4 h, refresh token, lists; the code is single use', async () => {
    const code = sim.issueAuthCode(shopId);
    const body = { code, partner_id: PARTNER.partnerId, shop_id: shopId };
    const first = await api.post('/api/v2/auth/token/get', body);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      error: '',
      message: '',
      request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      access_token: expect.stringMatching(/^[0-9a-f]{32}$/),
      refresh_token: expect.stringMatching(/^[0-9a-f]{32}$/),
      // 4 h from the authorization (the code's issue), so a second may have passed
      expire_in: expect.any(Number),
      shop_id_list: [shopId],
      merchant_id_list: [],
    });
    expect(first.body['expire_in']).toBeGreaterThanOrEqual(14399);
    expect(first.body['expire_in']).toBeLessThanOrEqual(14400);
    const again = await api.post('/api/v2/auth/token/get', body);
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ error: 'error_auth', message: 'Invalid code' });
  });

  test('a code expires after 10 minutes, and expire_in counts from the authorization', async () => {
    const late = sim.issueAuthCode(shopId);
    sim.advance(601);
    expect((await api.post('/api/v2/auth/token/get', { code: late, partner_id: PARTNER.partnerId, shop_id: shopId })).body['error']).toBe('error_auth');
    const code = sim.issueAuthCode(shopId);
    sim.advance(120);
    const r = await api.post('/api/v2/auth/token/get', { code, partner_id: PARTNER.partnerId, shop_id: shopId });
    expect(r.body['expire_in']).toBeGreaterThanOrEqual(14400 - 121);
    expect(r.body['expire_in']).toBeLessThanOrEqual(14400 - 120);
  });

  test('a code for another shop is refused', async () => {
    const other = sim.shops().find((s) => s.shopId !== shopId)!.shopId;
    const r = await api.post('/api/v2/auth/token/get', { code: sim.issueAuthCode(other), partner_id: PARTNER.partnerId, shop_id: shopId });
    expect(r.body['error']).toBe('invalid_shop_id');
  });

  test('the access token dies after 4 hours on the sim clock', async () => {
    const creds = await api.link(shopId);
    sim.advance(4 * 3600 - 10);
    expect((await api.get('/api/v2/shop/get_shop_info', {}, creds)).body['error']).toBe('');
    sim.advance(20);
    const r = await api.get('/api/v2/shop/get_shop_info', {}, creds);
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ error: 'error_auth', message: 'Invalid access_token.' });
  });

  test('expireAccessTokens, and the invalid_acceess_token spelling on request', async () => {
    await sim.close();
    sim = await startTestSim({ accessTokenError: 'invalid_acceess_token' });
    api = client(sim);
    shopId = sim.addShop({ name: 'S', region: 'SG' }).shopId;
    const creds = await api.link(shopId);
    expect(sim.expireAccessTokens(shopId)).toBe(1);
    expect((await api.get('/api/v2/shop/get_shop_info', {}, creds)).body).toMatchObject({
      error: 'invalid_acceess_token',
      message: 'Invalid access_token, please have a check.',
    });
  });

  test('refresh: a new pair; the old refresh token is dead; the old access token lives 5 more minutes', async () => {
    const creds = await api.link(shopId);
    const r = await api.refresh(shopId, creds.refreshToken);
    expect(r.body).toMatchObject({ error: '', partner_id: PARTNER.partnerId, shop_id: shopId, expire_in: 14400 });
    expect(r.body['refresh_token']).not.toBe(creds.refreshToken);
    const reuse = await api.refresh(shopId, creds.refreshToken);
    expect(reuse.status).toBe(403);
    expect(reuse.body).toMatchObject({ error: 'error_auth', message: 'Invalid refresh_token.' });
    sim.advance(290);
    expect((await api.get('/api/v2/shop/get_shop_info', {}, creds)).body['error']).toBe('');
    sim.advance(20);
    expect((await api.get('/api/v2/shop/get_shop_info', {}, creds)).body['error']).toBe('error_auth');
    const fresh = { shopId, accessToken: r.body['access_token'], refreshToken: r.body['refresh_token'] };
    expect((await api.get('/api/v2/shop/get_shop_info', {}, fresh)).body['error']).toBe('');
    expect(sim.refreshStats(shopId)).toEqual({ calls: 2, succeeded: 1, refused: 1, lost: 0 });
  });

  test('a lost refresh answer (connection reset): the retry with the same refresh token is refused', async () => {
    const creds = await api.link(shopId);
    sim.loseNextRefreshResponse(shopId);
    await expect(api.refresh(shopId, creds.refreshToken)).rejects.toThrow();
    const retry = await api.refresh(shopId, creds.refreshToken);
    expect(retry.body).toMatchObject({ error: 'error_auth', message: 'Invalid refresh_token.' });
    expect(sim.refreshStats(shopId)).toEqual({ calls: 2, succeeded: 1, refused: 1, lost: 1 });
    // The seller has to authorize again; that works and resets both tokens.
    const again = await api.link(shopId);
    expect((await api.get('/api/v2/shop/get_shop_info', {}, again)).body['error']).toBe('');
  });

  test('a lost refresh answer as a 502 page', async () => {
    const creds = await api.link(shopId);
    sim.loseNextRefreshResponse(shopId, '502');
    const path = '/api/v2/auth/access_token/get';
    const ts = sim.now();
    const res = await fetch(
      `${sim.url}${path}?partner_id=${PARTNER.partnerId}&timestamp=${ts}&sign=${sign(PARTNER.partnerKey, `${PARTNER.partnerId}${path}${ts}`)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: creds.refreshToken, partner_id: PARTNER.partnerId, shop_id: shopId }),
      },
    );
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('502 Bad Gateway');
    expect((await api.refresh(shopId, creds.refreshToken)).body['error']).toBe('error_auth');
  });

  test('refresh: refresh token of another shop, and body partner_id checks', async () => {
    const creds = await api.link(shopId);
    const other = sim.shops().find((s) => s.shopId !== shopId)!.shopId;
    expect((await api.refresh(other, creds.refreshToken)).body['error']).toBe('error_shop_refresh_token');
    const wrongPartner = await api.post('/api/v2/auth/access_token/get', { refresh_token: creds.refreshToken, partner_id: 1, shop_id: shopId });
    expect(wrongPartner.body['error']).toBe('error_param');
  });
});
