// Signing and common-parameter checks of the /api/v2 gateway (https://open.shopee.com/developer-guide/16, common
// error list on every API page, e.g. https://open.shopee.com/documents/v2/v2.shop.get_shop_info).
import { createHmac } from 'node:crypto';
import type { ShopeeSim } from '../../../scripts/shopee-sim';
import { baseString } from '../../../scripts/shopee-sim/signing';
import { client, PARTNER, sign, startTestSim, type Json, type ShopCreds } from './helpers';

// The developer guide's worked example (developer-guide/16 "Signature calculation").
const EXAMPLE = {
  partnerId: 2001887,
  path: '/api/v2/shop/get_shop_info',
  timestamp: 1655714431,
  accessToken: '59777174636562737266615546704c6d',
  shopId: 14701711,
  base: '2001887/api/v2/shop/get_shop_info165571443159777174636562737266615546704c6d14701711',
};

describe('shopee-sim gateway', () => {
  let sim: ShopeeSim;
  let api: ReturnType<typeof client>;
  let creds: ShopCreds;

  beforeAll(async () => {
    sim = await startTestSim();
    api = client(sim);
    sim.addShop({ shopId: EXAMPLE.shopId, name: 'Example Shop', region: 'SG' });
    creds = await api.link(EXAMPLE.shopId);
  });
  afterAll(() => sim.close());

  test('the base string of the official worked example', () => {
    expect(baseString(EXAMPLE.partnerId, EXAMPLE.path, EXAMPLE.timestamp, EXAMPLE.accessToken, EXAMPLE.shopId)).toBe(EXAMPLE.base);
  });

  test('the worked example: the sim verifies exactly that base string, then rejects the (foreign) token', async () => {
    const now = sim.now();
    sim.advance(EXAMPLE.timestamp - now); // put the clock at the example's timestamp
    try {
      const query = (s: string): string =>
        new URLSearchParams({
          partner_id: String(EXAMPLE.partnerId),
          timestamp: String(EXAMPLE.timestamp),
          access_token: EXAMPLE.accessToken,
          shop_id: String(EXAMPLE.shopId),
          sign: s,
        }).toString();
      const good = sign(PARTNER.partnerKey, EXAMPLE.base);
      expect(good).toMatch(/^[0-9a-f]{64}$/);
      const accepted = await fetch(`${sim.url}${EXAMPLE.path}?${query(good)}`);
      // The signature passed; what stops the call is the access token, which this sim never issued.
      expect(await accepted.json()).toMatchObject({ error: 'error_auth', message: 'Invalid access_token.' });
      const flipped = good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
      const rejected = await fetch(`${sim.url}${EXAMPLE.path}?${query(flipped)}`);
      expect(rejected.status).toBe(403);
      expect(await rejected.json()).toMatchObject({ error: 'error_sign', message: 'Wrong sign.', request_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
      const upper = await fetch(`${sim.url}${EXAMPLE.path}?${query(good.toUpperCase())}`);
      expect(((await upper.json()) as Json)['error']).toBe('error_sign');
    } finally {
      sim.advance(now - EXAMPLE.timestamp);
    }
  });

  test('a correctly signed Shop API call succeeds; get_shop_info answers at the top level', async () => {
    const r = await api.get('/api/v2/shop/get_shop_info', {}, creds);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ error: '', message: '', shop_name: 'Example Shop', region: 'SG', status: 'NORMAL', is_cb: false });
    expect(r.body['response']).toBeUndefined();
    expect(r.body['expire_time'] - r.body['auth_time']).toBe(365 * 86400);
  });

  test('the partner key is a UTF-8 string key: signing with it hex-decoded is a wrong sign', async () => {
    const hexKey = '4c7259534969484e71734d695a6e0d554c7259534969484e71734d695a6e0d55';
    const other = await startTestSim({ partnerKey: hexKey });
    try {
      const ts = other.now();
      const path = '/api/v2/push/get_lost_push_message';
      const base = `${PARTNER.partnerId}${path}${ts}`;
      const call = async (s: string): Promise<string> =>
        ((await (await fetch(`${other.url}${path}?partner_id=${PARTNER.partnerId}&timestamp=${ts}&sign=${s}`)).json()) as { error: string }).error;
      expect(await call(sign(hexKey, base))).toBe('');
      expect(await call(createHmac('sha256', Buffer.from(hexKey, 'hex')).update(base).digest('hex'))).toBe('error_sign');
    } finally {
      await other.close();
    }
  });

  test('a Shop API signed like a Public API (no access_token + shop_id in the base string) is a wrong sign', async () => {
    const ts = sim.now();
    const path = '/api/v2/shop/get_shop_info';
    const s = sign(PARTNER.partnerKey, `${PARTNER.partnerId}${path}${ts}`);
    const r = await fetch(
      `${sim.url}${path}?partner_id=${PARTNER.partnerId}&timestamp=${ts}&sign=${s}&access_token=${creds.accessToken}&shop_id=${creds.shopId}`,
    );
    expect(await r.json()).toMatchObject({ error: 'error_sign' });
  });

  test('timestamp: seconds within 5 minutes of the clock', async () => {
    const path = '/api/v2/push/get_lost_push_message';
    expect((await api.get(path, {}, undefined, sim.now() - 290)).body['error']).toBe('');
    const old = await api.get(path, {}, undefined, sim.now() - 310);
    expect(old.body).toMatchObject({ error: 'error_param', message: 'Timestamp is expired.' });
    const future = await api.get(path, {}, undefined, sim.now() + 310);
    expect(future.body).toMatchObject({ error: 'error_param', message: 'Invalid timestamp' });
    const millis = await api.get(path, {}, undefined, Date.now());
    expect(millis.body['error']).toBe('error_param');
  });

  test('partner_id: missing, malformed, unknown', async () => {
    const path = '/api/v2/push/get_lost_push_message';
    expect(await (await fetch(`${sim.url}${path}`)).json()).toMatchObject({ error: 'error_param', message: 'There is no partner_id in query.' });
    const bad = await fetch(`${sim.url}${path}?partner_id=abc&timestamp=${sim.now()}&sign=x`);
    expect(await bad.json()).toMatchObject({ error: 'error_param', message: 'Partner_id is invalid, should be an integer between 0 and 4294967295.' });
    const ts = sim.now();
    const unknown = await fetch(`${sim.url}${path}?partner_id=1000001&timestamp=${ts}&sign=${sign(PARTNER.partnerKey, `1000001${path}${ts}`)}`);
    expect(unknown.status).toBe(403);
    expect(await unknown.json()).toMatchObject({ error: 'invalid_partner_id', message: 'Invalid partner_id, please have a check.' });
  });

  test('missing sign, access_token, shop_id; a shop the partner does not hold', async () => {
    const ts = sim.now();
    const path = '/api/v2/shop/get_shop_info';
    const noSign = await fetch(`${sim.url}${path}?partner_id=${PARTNER.partnerId}&timestamp=${ts}`);
    expect(await noSign.json()).toMatchObject({ error: 'error_param', message: 'There is no sign in query.' });
    const noToken = await fetch(`${sim.url}${path}?partner_id=${PARTNER.partnerId}&timestamp=${ts}&sign=abc`);
    expect(await noToken.json()).toMatchObject({ error: 'error_param', message: 'There is no access_token in query.' });
    const other = await api.get(path, {}, { ...creds, shopId: 999999 });
    expect(other.body).toMatchObject({ error: 'error_auth', message: 'Invalid partner_id or shopid.' });
  });

  test('unknown paths and wrong methods answer 404 error_not_found', async () => {
    const r = await fetch(`${sim.url}/api/v2/order/no_such_api`);
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ error: 'error_not_found' });
    const wrongMethod = await api.post('/api/v2/order/get_order_list', {}, creds);
    expect(wrongMethod.status).toBe(404);
  });

  test('latency applies to API calls', async () => {
    sim.setLatency(120);
    const t = Date.now();
    await api.get('/api/v2/push/get_lost_push_message');
    expect(Date.now() - t).toBeGreaterThanOrEqual(110);
    sim.setLatency(0);
  });
});
