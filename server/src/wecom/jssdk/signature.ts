/**
 * JS-SDK config signature (wx.config / wx.agentConfig / ww.register's getConfigSignature).
 * JS-SDK 签名算法 https://developer.work.weixin.qq.com/document/path/90506 (代开发 copy https://developer.work.weixin.qq.com/document/path/96909):
 *   sha1("jsapi_ticket=" + ticket + "&noncestr=" + nonce + "&timestamp=" + ts + "&url=" + url)
 * Fixed field order, lowercase keys, values NOT URL-encoded, url without its #fragment.
 */
import { createHash, randomInt } from 'node:crypto';

export function jsapiSignature(ticket: string, nonceStr: string, timestamp: number | string, url: string): string {
  const hash = url.indexOf('#');
  const pageUrl = hash === -1 ? url : url.slice(0, hash); // the client signs location.href.split('#')[0]
  return createHash('sha1').update(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${pageUrl}`, 'utf8').digest('hex');
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 16 alphanumeric chars from a CSPRNG (randomInt is uniform, no modulo bias). */
export function newNonce(): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}
