import type { Logger } from '../../lib/logger';
import { MinuteRateLimiter } from '../../lib/concurrency';
import { sleep } from '../../lib/sleep';
import { CredentialCache } from './credential-cache';
import {
  ERRCODE,
  TOKEN_CODES,
  WeComApiError,
  WeComConfigError,
  WeComDownloadTooLargeError,
  WeComRateLimitError,
  WeComTransportError,
  toWeComError,
} from './errors';
import { AuthApi, DepartmentApi, TagApi, TicketApi, UserApi } from './apis';
import { MediaApi } from './media-api';
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
  /** Whole-download timeout for files (media/get; default 60 s: up to 20 MB). */
  downloadTimeoutMs?: number;
}

type Query = Record<string, string | number | undefined>;

export interface CallOptions {
  secret?: SecretKind;
  method?: 'GET' | 'POST';
  query?: Query;
  body?: unknown;
  /**
   * Retries of -1, 45033, 45009 and transport errors inside this call (default 3). Message delivery passes 0: its
   * queue retries later with backoff instead of holding a worker here.
   */
  retries?: number;
}

export interface DownloadOptions {
  secret?: SecretKind;
  /** Refuse (WeComDownloadTooLargeError) a file larger than this. */
  maxBytes: number;
  /** As CallOptions.retries (default 3). */
  retries?: number;
}

/** A downloaded file as WeCom answered it. */
export interface Download {
  bytes: Buffer;
  /** The Content-Type header as sent (e.g. "image/jpeg"). */
  contentType: string;
  /** The raw Content-disposition header (`attachment; filename="…"`), if any. */
  contentDisposition: string | null;
}

interface WeComEnvelope {
  errcode?: number;
  errmsg?: string;
}

/** One HTTP exchange against a ready URL (token and query set); throws the typed error for errcode ≠ 0. */
type Exchange<R> = (url: URL) => Promise<R>;

const MAX_BUSY_RETRIES = 3;
/** An {errcode, errmsg} answer in place of a file is small; more than this is not one. */
const MAX_ENVELOPE_BYTES = 64 * 1024;

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
  readonly media = new MediaApi(this);
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
      const res = await this.send('gettoken', { corpid: this.opts.corpId, corpsecret: secret }, (url) =>
        this.exchangeJson<{ access_token: string; expires_in: number }>(url, 'GET', 'gettoken'),
      );
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
  call<T>(api: string, options: CallOptions = {}): Promise<T> {
    const method = options.method ?? 'GET';
    return this.withToken(api, options.secret ?? 'agent', options.query, options.retries, (url) => this.exchangeJson<T>(url, method, api, options.body));
  }

  /**
   * GET a file with the token of `secret` (media/get: https://developer.work.weixin.qq.com/document/path/90254), with
   * `call`'s token rule, rate cap and retries. WeCom answers the bytes with a Content-disposition header, or an
   * {errcode, errmsg} body (application/json or text/plain) that throws the usual WeComApiError types. More than
   * `maxBytes` throws WeComDownloadTooLargeError without reading further. The token and the bytes are never logged.
   */
  download(api: string, query: Query, opts: DownloadOptions): Promise<Download> {
    return this.withToken(api, opts.secret ?? 'agent', query, opts.retries, (url) => this.exchangeFile(url, api, opts.maxBytes));
  }

  /**
   * A group robot's webhook (https://developer.work.weixin.qq.com/document/path/99110): no access token, the key is the
   * credential. Always on WECOM_API_BASE, so a stored robot can never point the server at another host.
   */
  robotSend<T>(key: string, body: unknown, retries = 0): Promise<T> {
    return this.send('webhook/send', { key }, (url) => this.exchangeJson<T>(url, 'POST', 'webhook/send', body), retries);
  }

  /** Run `exchange` with the token of `kind` (rate-capped per API); on 40014/42001/40001 refresh the token once and retry once. */
  private async withToken<R>(api: string, kind: SecretKind, query: Query | undefined, retries: number | undefined, exchange: Exchange<R>): Promise<R> {
    const attempt = async (token: string): Promise<R> => {
      await this.limiter(api).take();
      return this.send(api, { ...query, access_token: token }, exchange, retries);
    };
    const token = await this.accessToken(kind);
    try {
      return await attempt(token);
    } catch (err) {
      if (!(err instanceof WeComApiError) || !(TOKEN_CODES.has(err.errcode) || err.errcode === ERRCODE.INVALID_CREDENTIAL)) throw err;
      this.opts.logger.warn({ api, errcode: err.errcode }, 'wecom token rejected; refreshing once');
      await this.cache.invalidate(this.tokenKey(kind), token);
      return attempt(await this.accessToken(kind));
    }
  }

  private limiter(api: string): MinuteRateLimiter {
    let limiter = this.limiters.get(api);
    if (!limiter) this.limiters.set(api, (limiter = new MinuteRateLimiter(this.opts.maxPerMinute ?? 9000)));
    return limiter;
  }

  /** One HTTP exchange with retries for -1 (system busy), 45033 (concurrency), 45009 and transport errors. */
  private async send<R>(api: string, query: Query, exchange: Exchange<R>, retries = MAX_BUSY_RETRIES): Promise<R> {
    const url = new URL(`${this.opts.apiBase}/cgi-bin/${api}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const base = this.opts.retryBaseMs ?? 200;
    for (let attempt = 0; ; attempt++) {
      try {
        return await exchange(url);
      } catch (err) {
        if (!isRetryable(err) || attempt >= retries) throw err;
        const delay = base * 2 ** attempt * (err instanceof WeComRateLimitError ? 5 : 1);
        this.opts.logger.warn({ api, attempt, delay, err: (err as Error).message }, 'wecom call failed; backing off');
        await sleep(delay);
      }
    }
  }

  /** A JSON API: errcode 0 → the body, else the typed error. */
  private async exchangeJson<T>(url: URL, method: 'GET' | 'POST', api: string, body?: unknown): Promise<T> {
    const res = await this.request(url, api, this.opts.timeoutMs ?? 10_000, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return checked<T>(await readEnvelope(res, api), api);
  }

  /** A file answer (Content-disposition), or an {errcode, errmsg} body without one. */
  private async exchangeFile(url: URL, api: string, maxBytes: number): Promise<Download> {
    const res = await this.request(url, api, this.opts.downloadTimeoutMs ?? 60_000, { method: 'GET' });
    const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
    const contentDisposition = res.headers.get('content-disposition');
    if (!contentDisposition && /^\s*(application\/json|text\/plain)\b/i.test(contentType)) {
      let envelope: WeComEnvelope;
      try {
        envelope = JSON.parse((await readCapped(res, api, MAX_ENVELOPE_BYTES)).toString('utf8')) as WeComEnvelope;
      } catch {
        throw new WeComTransportError('answered neither a file nor an errcode', api);
      }
      checked(envelope, api);
      throw new WeComTransportError('answered JSON without a file', api);
    }
    return { bytes: await readCapped(res, api, maxBytes), contentType, contentDisposition };
  }

  /** fetch with a timeout; a network failure or a status other than 200 is a (retryable) WeComTransportError. */
  private async request(url: URL, api: string, timeoutMs: number, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new WeComTransportError((err as Error).message, api);
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      throw new WeComTransportError(`HTTP ${res.status}`, api);
    }
    return res;
  }
}

async function readEnvelope(res: Response, api: string): Promise<WeComEnvelope> {
  try {
    return (await res.json()) as WeComEnvelope;
  } catch {
    throw new WeComTransportError('response is not JSON', api);
  }
}

function checked<T>(json: WeComEnvelope, api: string): T {
  const errcode = json.errcode ?? 0;
  if (errcode !== 0) throw toWeComError(errcode, json.errmsg ?? '', api);
  return json as T;
}

/** The body, refusing more than `maxBytes` (by Content-Length up front, else while streaming) without buffering the rest. */
async function readCapped(res: Response, api: string, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new WeComDownloadTooLargeError(api, maxBytes, declared);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    // Leaving the loop early (the throw below) cancels the stream, so the rest is never read.
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new WeComDownloadTooLargeError(api, maxBytes);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof WeComDownloadTooLargeError) throw err;
    throw new WeComTransportError(`download interrupted: ${(err as Error).message}`, api);
  }
  return Buffer.concat(chunks, size);
}

function isRetryable(err: unknown): boolean {
  if (err instanceof WeComTransportError) return true;
  if (err instanceof WeComRateLimitError) return err.errcode === ERRCODE.CONCURRENCY_LIMITED || err.errcode === ERRCODE.FREQUENCY_LIMITED;
  return err instanceof WeComApiError && err.errcode === ERRCODE.SYSTEM_BUSY;
}
