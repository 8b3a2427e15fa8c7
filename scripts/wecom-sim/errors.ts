// WeCom API error bodies: HTTP 200 with {errcode, errmsg}; errmsg carries a per-call hint, the caller
// IP and the devtool link (global error codes https://developer.work.weixin.qq.com/document/path/90313,
// https://developer.work.weixin.qq.com/document/path/90455).
import { randomBytes } from 'node:crypto';

export const ERRMSG: Record<number, string> = {
  [-1]: 'system busy',
  0: 'ok',
  40001: 'invalid credential, access_token is invalid or not latest',
  40003: 'invalid userid',
  40004: 'invalid media type',
  40005: 'invalid file type',
  40006: 'invalid file size',
  40007: 'invalid media_id',
  40008: 'invalid message type',
  40009: 'invalid image size',
  40011: 'invalid video size',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40032: 'invalid userid list size',
  40056: 'invalid agentid',
  40058: 'invalid Request Parameter',
  40068: 'invalid tagid',
  40074: 'news message not support safe',
  41001: 'access_token missing',
  41002: 'corpid missing',
  41004: 'corpsecret missing',
  41006: 'missing media_id',
  41008: 'missing code',
  41009: 'missing userid',
  41010: 'missing url',
  41011: 'missing agentid',
  41016: 'missing title',
  41033: 'missing description',
  42001: 'access_token expired',
  43001: 'require GET method',
  43002: 'require POST method',
  43012: 'require callback url',
  44001: 'empty media data',
  44004: 'empty content',
  45008: 'article size out of limit',
  45009: 'api freq out of limit',
  47001: 'data format error',
  48002: 'api forbidden',
  60003: 'department not found',
  60004: 'parent department not found',
  60005: 'department contains user',
  60006: 'department contains sub-department',
  60008: 'department existed',
  60010: 'department loop',
  60011: 'no privilege to access/modify contact/party/agent',
  60102: 'userid existed',
  60111: 'userid not found',
  60112: 'invalid username',
  60113: 'invalid department',
  60123: 'invalid party id',
  81013: 'user & party & tag all invalid',
  82001: 'All touser & toparty & totag invalid',
  82002: 'invalid partyid list size',
  82003: 'invalid tagid list size',
  84014: 'user ticket expired',
  84015: 'invalid user ticket',
  86001: 'invalid chatid',
  86003: 'chatid not exist',
  86004: 'invalid chat name',
  86005: 'invalid chat owner',
  86006: 'invalid chat member count',
  86007: 'invalid chat member',
  86207: 'chat owner not in member list',
  86215: 'chatid already exists',
  93000: 'invalid webhook url',
  301002: 'not allow operate another agent with this accesstoken.',
};

/**
 * Thrown by API handlers; rendered as an HTTP 200 error body. `detail` names the offending field first, as WeCom does
 * ("markdown.content exceed max length 4096. invalid Request Parameter, hint: …", seen in real answers quoted in
 * RayWangQvQ/BiliBiliTool#569 and dromara/domain-admin#82).
 */
export class ApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly detail?: string,
  ) {
    super(detail ?? ERRMSG[errcode] ?? 'unknown error');
    this.name = 'ApiError';
  }
}

/** `invalid access_token, hint: [1700000000_42_9f…], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=40014` */
export function errmsgFor(errcode: number, ip: string, nowMs: number, detail?: string): string {
  const base = ERRMSG[errcode] ?? 'unknown error';
  if (errcode === 0) return base;
  const hint = `${Math.floor(nowMs / 1000)}_${Math.floor(Math.random() * 100)}_${randomBytes(16).toString('hex')}`;
  return `${detail ? `${detail}. ` : ''}${base}, hint: [${hint}], from ip: ${ip}, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
}

export function errorBody(errcode: number, ip: string, nowMs: number, detail?: string): { errcode: number; errmsg: string } {
  return { errcode, errmsg: errmsgFor(errcode, ip, nowMs, detail) };
}
