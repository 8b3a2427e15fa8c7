// Shopee Open Platform v2 signatures on node:crypto.
// API calls (https://open.shopee.com/developer-guide/16 "Signature calculation"): sign = lowercase hex
// HMAC-SHA256(partner_key, partner_id + api_path + timestamp [+ access_token + shop_id]); the partner key is used as
// a UTF-8 string (the guide's demo does partner_key.encode()), never hex-decoded.
// Pushes (https://open.shopee.com/developer-guide/18): Authorization = hex HMAC-SHA256(key, callback_url + "|" + body).
import { createHmac, timingSafeEqual } from 'node:crypto';

export type ApiType = 'public' | 'shop';

/** The base string for a Public API (partner_id + path + timestamp) or a Shop API (+ access_token + shop_id). */
export function baseString(partnerId: number | string, apiPath: string, timestamp: number | string, accessToken?: string, shopId?: number | string): string {
  return `${partnerId}${apiPath}${timestamp}${accessToken ?? ''}${shopId ?? ''}`;
}

export function hmacHex(key: string, message: string): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex');
}

export const apiSign = (partnerKey: string, base: string): string => hmacHex(partnerKey, base);

export const pushAuthorization = (pushKey: string, callbackUrl: string, rawBody: string): string => hmacHex(pushKey, `${callbackUrl}|${rawBody}`);

/** Constant-time comparison of two hex strings (the sign must be lowercase, as Shopee computes it). */
export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
