import type { Logger } from '../../lib/logger';
import { MinuteRateLimiter } from '../../lib/concurrency';
import { sleep } from '../../lib/sleep';
import { CredentialCache } from './credential-cache';
import { ERRCODE, TOKEN_CODES, WeComApiError, WeComConfigError, WeComRateLimitError, WeComTransportError, toWeComError } from './errors';
import { AuthApi, DepartmentApi, TagApi, TicketApi, UserApi } from './apis';
import { AppChatApi, MessageApi } from './message-apis';

export type SecretKind = 'agent' | 'contact';

export interface WeComClientOptions {
  apiBase: string;
  corpId: string;
  agentSecret: string;
  /** 通讯录同步 secret; the only one allowed to call user/list_id (https://developer.work.weixin.qq.com/document/path/96067). */
  contactSecret?: string;
  logger: Logger;
  /** Client-side cap per API path, under WeCom's 10,000/min per corp per API (https://developer.work.weixin.qq.com/document/path/90312). */
  maxPerMinute?: number;
  /** Base delay for -1 / 45033 / transport retries; tests shorten it. */
  retryBaseMs?: number;
  timeoutMs?: number;
}

export interface CallOptions {
  secret?: SecretKind;
  method?: 'GET' | 'POST';
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /**
   * Retries of -1, 45033, 45009 and transport errors inside this call (default 3). Message delivery passes 0: its
   * queue retries later with backoff instead of holding a worker here.
   */
  retries?: number;
}

interface WeComEnvelope {
  errcode?: number;
  errmsg?: string;
}

const MAX_BUSY_RETRIES = 3;

/**
 * The WeCom server API client (wechatpy's WeChatClient shape): API groups as properties, errcode
 * handling and the token retry in one place, so callers never see a raw {errcode: 42001}.
 * Base: https://qyapi.weixin.qq.com/cgi-bin/ (configurable as WECOM_API_BASE).
 */
export class WeComClient {
  readonly department = new DepartmentApi(this);
  readonly user = new UserApi(this);
  readonly tag = new TagApi(this);
  readonly auth = new AuthApi(this);
  readonly ticket = new TicketApi(this);
  readonly message = new MessageApi(this);
  readonly appchat = new AppChatApi(this);
  private readonly limiters = new Map<string, MinuteRateLimiter>();

  constructor(
    private readonly opts: WeComClientOptions,
    private readonly cache: CredentialCache,
  ) {}

  get corpId(): string {
    return this.opts.corpId;
  }

  get hasContactSecret(): boolean {
    return Boolean(this.opts.contactSecret);
  }

  private secretOf(kind: SecretKind): string {
    const secret = kind === 'contact' ? this.opts.contactSecret : this.opts.agentSecret;
    if (!secret) throw new WeComConfigError(ERRCODE.API_NOT_PERMITTED, 'WECOM_CONTACT_SECRET is not configured', 'gettoken');
    return secret;
  }

  private tokenKey(kind: SecretKind): string {
    return CredentialCache.keyFor('token', this.opts.corpId, this.secretOf(kind));
  }

  /**
   * access_token for a secret, cached per (corpid, secret) and refreshed ahead of expiry.
   * gettoken: https://developer.work.weixin.qq.com/document/path/91039
   */
  accessToken(kind: SecretKind = 'agent'): Promise<string> {
    const secret = this.secretOf(kind);
    return this.cache.get(this.tokenKey(kind), async () => {
      const res = await this.send<{ access_token: string; expires_in: number }>('gettoken', 'GET', { corpid: this.opts.corpId, corpsecret: secret });
      this.opts.logger.info({ secretKind: kind, expiresIn: res.expires_in }, 'wecom access_token refreshed');
      return { value: res.access_token, expiresInSec: res.expires_in };
    });
  }

  /** A cached ticket fetched with the agent token (JS-SDK, https://developer.work.weixin.qq.com/document/path/90506). */
  cachedTicket(kind: 'jsapi' | 'agent_config', fetch: () => Promise<{ ticket: string; expires_in: number }>): Promise<string> {
    const key = CredentialCache.keyFor(`ticket_${kind}`, this.opts.corpId, this.opts.agentSecret);
    return this.cache.get(key, async () => {
      const res = await fetch();
      return { value: res.ticket, expiresInSec: res.expires_in };
    });
  }

  /** Call a business API with the token of `secret`; refresh once and retry once on 40014/42001/40001. */
  async call<T>(api: string, options: CallOptions = {}): Promise<T> {
    const kind = options.secret ?? 'agent';
    const token = await this.accessToken(kind);
    try {
      return await this.callWithToken<T>(api, options, token);
    } catch (err) {
      if (!(err instanceof WeComApiError) || !(TOKEN_CODES.has(err.errcode) || err.errcode === ERRCODE.INVALID_CREDENTIAL)) throw err;
      this.opts.logger.warn({ api, errcode: err.errcode }, 'wecom token rejected; refreshing once');
      await this.cache.invalidate(this.tokenKey(kind), token);
      const fresh = await this.accessToken(kind);
      return this.callWithToken<T>(api, options, fresh);
    }
  }

  private async callWithToken<T>(api: string, options: CallOptions, token: string): Promise<T> {
    await this.limiter(api).take();
    return this.send<T>(api, options.method ?? 'GET', { ...options.query, access_token: token }, options.body, options.retries);
  }

  /**
   * A group robot's webhook (https://developer.work.weixin.qq.com/document/path/99110): no access token, the key is the
   * credential. Always on WECOM_API_BASE, so a stored robot can never point the server at another host.
   */
  robotSend<T>(key: string, body: unknown, retries = 0): Promise<T> {
    return this.send<T>('webhook/send', 'POST', { key }, body, retries);
  }

  private limiter(api: string): MinuteRateLimiter {
    let limiter = this.limiters.get(api);
    if (!limiter) this.limiters.set(api, (limiter = new MinuteRateLimiter(this.opts.maxPerMinute ?? 9000)));
    return limiter;
  }

  /** One HTTP exchange with retries for -1 (system busy), 45033 (concurrency) and transport errors. */
  private async send<T>(
    api: string,
    method: 'GET' | 'POST',
    query: Record<string, string | number | undefined>,
    body?: unknown,
    retries = MAX_BUSY_RETRIES,
  ): Promise<T> {
    const url = new URL(`${this.opts.apiBase}/cgi-bin/${api}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const base = this.opts.retryBaseMs ?? 200;
    for (let attempt = 0; ; attempt++) {
      try {
        const json = await this.exchange(url, method, api, body);
        const errcode = json.errcode ?? 0;
        if (errcode === 0) return json as T;
        throw toWeComError(errcode, json.errmsg ?? '', api);
      } catch (err) {
        if (!isRetryable(err) || attempt >= retries) throw err;
        const delay = base * 2 ** attempt * (err instanceof WeComRateLimitError ? 5 : 1);
        this.opts.logger.warn({ api, attempt, delay, err: (err as Error).message }, 'wecom call failed; backing off');
        await sleep(delay);
      }
    }
  }

  private async exchange(url: URL, method: 'GET' | 'POST', api: string, body?: unknown): Promise<WeComEnvelope> {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new WeComTransportError((err as Error).message, api);
    }
    if (res.status !== 200) throw new WeComTransportError(`HTTP ${res.status}`, api);
    try {
      return (await res.json()) as WeComEnvelope;
    } catch {
      throw new WeComTransportError('response is not JSON', api);
    }
  }
}

function isRetryable(err: unknown): boolean {
  if (err instanceof WeComTransportError) return true;
  if (err instanceof WeComRateLimitError) return err.errcode === ERRCODE.CONCURRENCY_LIMITED || err.errcode === ERRCODE.FREQUENCY_LIMITED;
  return err instanceof WeComApiError && err.errcode === ERRCODE.SYSTEM_BUSY;
}
