/**
 * Shopee v2 signing against the developer guide's worked example (https://open.shopee.com/developer-guide/16:
 * partner_id 2001887, /api/v2/shop/get_shop_info, timestamp 1655714431, access_token …4c6d, shop_id 14701711),
 * computed independently here with node:crypto over the documented base string, and the push signature
 * (https://open.shopee.com/developer-guide/18: HMAC over the registered URL + '|' + raw body).
 */
import { createHmac } from 'node:crypto';
import { shopeeSign, verifyPushSignature } from '../../../../server/src/marketplace/shopee/sign';

const KEY = 'shpk-test-4d6a5a7a54516b4b4a6e71477064'; // any key: the guide does not publish its partner key

describe('Shopee request signature', () => {
  it('signs the guide’s shop-API example over partner_id + path + timestamp + access_token + shop_id', () => {
    const base = '2001887/api/v2/shop/get_shop_info165571443159777174636562737266615546704c6d14701711';
    const expected = createHmac('sha256', Buffer.from(KEY, 'utf8')).update(base).digest('hex');
    expect(shopeeSign(KEY, [2001887, '/api/v2/shop/get_shop_info', 1655714431, '59777174636562737266615546704c6d', 14701711])).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/); // lowercase hex
  });

  it('signs a public API over partner_id + path + timestamp only', () => {
    const expected = createHmac('sha256', KEY).update('2001887/api/v2/auth/token/get1655714431').digest('hex');
    expect(shopeeSign(KEY, ['2001887', '/api/v2/auth/token/get', 1655714431])).toBe(expected);
  });

  it('uses the partner key as a UTF-8 string, not hex-decoded', () => {
    const hexLooking = '4a6b4c6d';
    const asText = createHmac('sha256', Buffer.from(hexLooking, 'utf8')).update('x').digest('hex');
    const asHex = createHmac('sha256', Buffer.from(hexLooking, 'hex')).update('x').digest('hex');
    expect(shopeeSign(hexLooking, ['x'])).toBe(asText);
    expect(shopeeSign(hexLooking, ['x'])).not.toBe(asHex);
  });
});

describe('Shopee push signature', () => {
  const url = 'https://shop.example.com/shopee/push';
  const body =
    '{"data":{"items":[],"ordersn":"220810QSK8S7BX","status":"PROCESSED","completed_scenario":"","update_time":1660123127},"shop_id":727720655,"code":3,"timestamp":1660123127}';
  const good = createHmac('sha256', KEY).update(`${url}|${body}`).digest('hex');

  it('accepts the HMAC of the registered URL and the raw body (any case, surrounding spaces)', () => {
    expect(verifyPushSignature(KEY, url, body, good)).toBe(true);
    expect(verifyPushSignature(KEY, url, body, ` ${good.toUpperCase()} `)).toBe(true);
  });

  it('refuses a missing header, another key, another URL, a re-serialised body and a truncated signature', () => {
    expect(verifyPushSignature(KEY, url, body, undefined)).toBe(false);
    expect(verifyPushSignature('other-key', url, body, good)).toBe(false);
    expect(verifyPushSignature(KEY, 'https://shop.example.com/shopee/push/', body, good)).toBe(false);
    expect(verifyPushSignature(KEY, url, JSON.stringify(JSON.parse(body), null, 1), good)).toBe(false);
    expect(verifyPushSignature(KEY, url, body, good.slice(0, 63))).toBe(false);
  });
});
