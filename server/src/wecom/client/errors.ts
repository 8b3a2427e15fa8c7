/**
 * errcode → typed errors, in one place (wechatpy `_handle_result`). WeCom answers HTTP 200 with
 * errcode != 0; branch on errcode, never on errmsg. Global error codes (全局错误码):
 * https://developer.work.weixin.qq.com/document/path/90313
 */
export const ERRCODE = {
  SYSTEM_BUSY: -1,
  INVALID_CREDENTIAL: 40001,
  INVALID_CORPID: 40013,
  INVALID_ACCESS_TOKEN: 40014,
  INVALID_CODE: 40029,
  ACCESS_TOKEN_EXPIRED: 42001,
  FREQUENCY_LIMITED: 45009,
  CONCURRENCY_LIMITED: 45033,
  API_NOT_PERMITTED: 48002,
  NO_PRIVILEGE: 60011,
  IP_NOT_ALLOWED: 60020,
  USER_NOT_FOUND: 60111,
  DEPARTMENT_NOT_FOUND: 60123,
} as const;

export class WeComApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly api: string,
  ) {
    // errmsg carries WeCom's hint and a doc link; keep it for operators, but never any token.
    super(`WeCom ${api} failed: errcode ${errcode} ${errmsg.split(',')[0]}`);
    this.name = new.target.name;
  }
}

/** Wrong secret, API not granted, outside the visible range, untrusted IP: fix the console, do not retry. */
export class WeComConfigError extends WeComApiError {
  hint(): string {
    switch (this.errcode) {
      case ERRCODE.INVALID_CREDENTIAL:
        return '应用 Secret 不正确或应用已停用 (check WECOM_AGENT_SECRET / WECOM_CONTACT_SECRET)';
      case ERRCODE.INVALID_CORPID:
        return 'CorpID 不正确 (check WECOM_CORP_ID)';
      case ERRCODE.API_NOT_PERMITTED:
        return '应用没有调用该接口的权限 (grant the API to the app, or use the 通讯录同步 secret)';
      case ERRCODE.NO_PRIVILEGE:
        return '成员或部门不在应用的可见范围内 (widen the app visible range)';
      case ERRCODE.IP_NOT_ALLOWED:
        return '服务器出口 IP 不在企业可信 IP 中 (add it under 企业可信IP)';
      default:
        return '企业微信配置错误';
    }
  }
}

/** 45009 / 45033: back off and retry later. */
export class WeComRateLimitError extends WeComApiError {}

/** 40029: the OAuth code is invalid, expired or already used. */
export class WeComInvalidCodeError extends WeComApiError {}

const CONFIG_CODES = new Set<number>([
  ERRCODE.INVALID_CREDENTIAL,
  ERRCODE.INVALID_CORPID,
  ERRCODE.API_NOT_PERMITTED,
  ERRCODE.NO_PRIVILEGE,
  ERRCODE.IP_NOT_ALLOWED,
]);
const RATE_CODES = new Set<number>([ERRCODE.FREQUENCY_LIMITED, ERRCODE.CONCURRENCY_LIMITED]);
export const TOKEN_CODES = new Set<number>([ERRCODE.INVALID_ACCESS_TOKEN, ERRCODE.ACCESS_TOKEN_EXPIRED]);

export function toWeComError(errcode: number, errmsg: string, api: string): WeComApiError {
  if (CONFIG_CODES.has(errcode)) return new WeComConfigError(errcode, errmsg, api);
  if (RATE_CODES.has(errcode)) return new WeComRateLimitError(errcode, errmsg, api);
  if (errcode === ERRCODE.INVALID_CODE) return new WeComInvalidCodeError(errcode, errmsg, api);
  return new WeComApiError(errcode, errmsg, api);
}

/** Network failure or a non-JSON / non-200 answer from the API host. */
export class WeComTransportError extends Error {
  constructor(
    message: string,
    readonly api: string,
  ) {
    super(`WeCom ${api}: ${message}`);
    this.name = 'WeComTransportError';
  }
}

/** A file (media/get) larger than the caller's cap: refused without reading the rest, never retried. */
export class WeComDownloadTooLargeError extends Error {
  constructor(
    readonly api: string,
    readonly maxBytes: number,
    /** The announced Content-Length, when the refusal came from it. */
    readonly declaredBytes?: number,
  ) {
    super(`WeCom ${api}: file larger than ${maxBytes} bytes${declaredBytes === undefined ? '' : ` (Content-Length ${declaredBytes})`}`);
    this.name = 'WeComDownloadTooLargeError';
  }
}
