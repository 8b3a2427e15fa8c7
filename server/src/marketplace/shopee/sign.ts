import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Shopee Open Platform v2 request signature (https://open.shopee.com/developer-guide/16, "Signature calculation"):
 * lowercase hex HMAC-SHA256 keyed with the partner key, used as a UTF-8 string (never hex-decoded), over the parts
 * concatenated without separators:
 * - public APIs (auth_partner, auth/token/get, auth/access_token/get, push/*): partner_id + api_path + timestamp
 * - shop APIs: partner_id + api_path + timestamp + access_token + shop_id
 * `api_path` is the path alone (`/api/v2/order/get_order_list`); `timestamp` is Unix seconds, valid 5 minutes.
 */
export function shopeeSign(partnerKey: string, parts: ReadonlyArray<string | number>): string {
  return createHmac('sha256', partnerKey).update(parts.join('')).digest('hex');
}

/**
 * A push's `Authorization` header (https://open.shopee.com/developer-guide/18, "Push authentication"): hex
 * HMAC-SHA256(push key, the callback URL exactly as registered + '|' + the raw body). Compared in constant time; the
 * body is hashed as received, never re-serialised.
 */
export function verifyPushSignature(pushKey: string, callbackUrl: string, rawBody: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(createHmac('sha256', pushKey).update(`${callbackUrl}|${rawBody}`).digest('hex'));
  const given = Buffer.from(header.trim().toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
