// Simulator state: options, access tokens (https://developer.work.weixin.qq.com/document/path/91039), OAuth codes
// (https://developer.work.weixin.qq.com/document/path/91023), JS-SDK tickets
// (https://developer.work.weixin.qq.com/document/path/90506), temporary media (media.ts), injected failures and statistics.
import { randomBytes } from 'node:crypto';
import { jsapiSignature } from './crypto';
import type { Corp } from './corp';
import { ApiError } from './errors';
import type { Json } from './input';
import { MediaStore } from './media';
import {
  Messaging,
  type AppchatMessage,
  type CardClick,
  type CardUpdate,
  type InboxItem,
  type LimitViolation,
  type RobotMessage,
  type SuppressedMessage,
} from './messaging';
import { RateLimiter } from './rate-limit';

export interface WecomSimOptions {
  /** 0 = random free port (default 0). */
  port?: number;
  host?: string;
  corpId: string;
  agentId: string;
  agentSecret: string;
  /** 通讯录同步 secret; the only secret allowed to call user/list_id (https://developer.work.weixin.qq.com/document/path/96067). */
  contactSecret?: string;
  callbackToken: string;
  callbackAesKey: string;
  callbackUrl?: string;
  /** Default: a fresh demoCorp(). The simulator mutates the corp it is given. */
  corp?: Corp;
  /** Added to every /cgi-bin API call. */
  latencyMs?: number;
  /** Added on top of latencyMs to the messaging paths (message/*, appchat/*, webhook/send). */
  messagingLatencyMs?: number;
  /** access_token lifetime; also the `expires_in` returned (default 7200). */
  tokenTtlSec?: number;
  /**
   * Per API path per (sliding) minute; beyond it errcode 45009 and a 60 s block (default 10000,
   * https://developer.work.weixin.qq.com/document/path/90454).
   */
  perMinuteLimit?: number;
  /** change_contact events with Name, Position … (pre-2022 form). Default false: the reduced form. */
  fullEvents?: boolean;
  /** If set, OAuth / web-login redirect_uri hosts must be one of these (else error page 50001). */
  trustedDomains?: string[];
  /** Clock in ms (default Date.now); lets tests age tokens and codes. */
  now?: () => number;
  /** Log each request to stderr. */
  log?: boolean;
}

export type ResolvedOptions = Required<Omit<WecomSimOptions, 'contactSecret' | 'callbackUrl' | 'corp' | 'trustedDomains'>> &
  Pick<WecomSimOptions, 'contactSecret' | 'callbackUrl' | 'trustedDomains'>;

export type SecretKind = 'agent' | 'contact';

export interface TokenRecord {
  token: string;
  kind: SecretKind;
  issuedAt: number;
  expiresAt: number;
  /** Set by invalidateToken()/failNext(): the errcode its next use gets. */
  revokedWith?: number;
}

export type CodeSubject = string | { outsider: true };

interface CodeRecord {
  subject: CodeSubject;
  scope: string;
  issuedAt: number;
  used: boolean;
}

export interface SentMessage {
  at: number;
  msgid: string;
  body: Json;
  /** Members whose client got it. */
  delivered?: string[];
  /** Members it was silently dropped for (per-member limits; see stats.limitViolations). */
  dropped?: string[];
}

/** An injected failure for the next call to a path: an errcode body, a bare HTTP status, and/or a delay. */
export interface Fault {
  errcode?: number;
  /** Answer this HTTP status with a non-JSON body (a gateway error in front of WeCom). */
  httpStatus?: number;
  /** Wait this long before answering (combine with a client timeout to simulate a hang). */
  delayMs?: number;
}

export interface DeliveryResult {
  status: number;
  body: string;
}

export interface SimStats {
  /** Calls per API path (e.g. "/cgi-bin/user/get"), including rejected ones. */
  calls: Record<string, number>;
  tokensIssued: number;
  tokensIssuedBySecret: Record<SecretKind, number>;
  jsapiTicketsIssued: number;
  agentTicketsIssued: number;
  codesIssued: number;
  codesExchanged: number;
  /** Highest call count within any sliding 60 s window, PER API PATH (what WeCom limits). */
  maxCallsInAnyMinute: Record<string, number>;
  /** Same, all API paths together. */
  maxCallsInAnyMinuteOverall: number;
  /** 45009 answers per path. */
  rateLimited: Record<string, number>;
  /** Non-zero errcodes answered, per errcode. */
  errors: Record<string, number>;
  /** Bodies accepted by message/send (suppressed duplicates are in duplicateSuppressed instead). */
  messages: SentMessage[];
  /** Callback POST/GET attempts made by the simulator. */
  callbackDeliveries: number;
  /** What each member's client shows, oldest first (app messages and app-chat messages; cards with their live state). */
  inbox: Record<string, InboxItem[]>;
  /** Accepted group-robot messages per robot key. */
  robotMessages: Record<string, RobotMessage[]>;
  /** Accepted app-chat messages per chatid. */
  appchatMessages: Record<string, AppchatMessage[]>;
  cardUpdates: CardUpdate[];
  cardClicks: CardClick[];
  /** message/send calls answered ok but not delivered again (enable_duplicate_check). */
  duplicateSuppressed: SuppressedMessage[];
  /** Messages WeCom would drop silently or reject for a per-member / per-robot limit; a well-behaved product has none. */
  limitViolations: LimitViolation[];
}

export function emptyStats(): SimStats {
  return {
    calls: {},
    tokensIssued: 0,
    tokensIssuedBySecret: { agent: 0, contact: 0 },
    jsapiTicketsIssued: 0,
    agentTicketsIssued: 0,
    codesIssued: 0,
    codesExchanged: 0,
    maxCallsInAnyMinute: {},
    maxCallsInAnyMinuteOverall: 0,
    rateLimited: {},
    errors: {},
    messages: [],
    callbackDeliveries: 0,
    inbox: {},
    robotMessages: {},
    appchatMessages: {},
    cardUpdates: [],
    cardClicks: [],
    duplicateSuppressed: [],
    limitViolations: [],
  };
}

const CODE_TTL_MS = 5 * 60_000; // https://developer.work.weixin.qq.com/document/path/91022: code valid 5 minutes, single use
const TICKET_TTL_SEC = 7200; // https://developer.work.weixin.qq.com/document/path/90506

/** Normalise "user/get", "/user/get", "cgi-bin/user/get" to "/cgi-bin/user/get". */
export function apiPath(path: string): string {
  const p = path.replace(/^\/+/, '').split('?')[0] ?? '';
  return `/${p.startsWith('cgi-bin/') ? p : `cgi-bin/${p}`}`;
}

const randomToken = (bytes: number): string => randomBytes(bytes).toString('base64url');

export class SimState {
  readonly stats: SimStats = emptyStats();
  readonly limiter: RateLimiter;
  readonly tokens = new Map<string, TokenRecord>();
  readonly tickets = new Map<string, { kind: 'jsapi' | 'agent_config'; expiresAt: number }>();
  readonly msg = new Messaging();
  /** Temporary media (media/upload, media/get, sim.putMedia). */
  readonly media = new MediaStore();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly userTickets = new Map<string, { userid: string; expiresAt: number }>();
  private readonly failures = new Map<string, Fault[]>();

  constructor(
    readonly opts: ResolvedOptions,
    readonly corp: Corp,
  ) {
    this.limiter = new RateLimiter(opts.perMinuteLimit);
  }

  now(): number {
    return this.opts.now();
  }

  secretKind(secret: string): SecretKind | undefined {
    if (secret === this.opts.agentSecret) return 'agent';
    if (this.opts.contactSecret && secret === this.opts.contactSecret) return 'contact';
    return undefined;
  }

  /**
   * A new token on every gettoken call; earlier tokens stay valid until they expire
   * (https://developer.work.weixin.qq.com/document/path/91039 leaves this open).
   */
  issueToken(kind: SecretKind): TokenRecord {
    const now = this.now();
    const rec: TokenRecord = { token: randomToken(96), kind, issuedAt: now, expiresAt: now + this.opts.tokenTtlSec * 1000 };
    this.tokens.set(rec.token, rec);
    this.stats.tokensIssued++;
    this.stats.tokensIssuedBySecret[kind]++;
    return rec;
  }

  /** 41001 missing, 40014 unknown, 42001 expired, or the errcode it was invalidated with. */
  checkToken(token: string | undefined): TokenRecord {
    if (!token) throw new ApiError(41001);
    const rec = this.tokens.get(token);
    if (!rec) throw new ApiError(40014);
    if (rec.revokedWith) throw new ApiError(rec.revokedWith);
    if (this.now() >= rec.expiresAt) throw new ApiError(42001);
    return rec;
  }

  /** Invalidate one token, or every live token; the next use answers `errcode` (42001 or 40014). */
  invalidateToken(token?: string, errcode: 40014 | 42001 = 42001): number {
    let n = 0;
    for (const rec of token ? [this.tokens.get(token)].filter((r): r is TokenRecord => !!r) : this.tokens.values()) {
      if (!rec.revokedWith) {
        rec.revokedWith = errcode;
        n++;
      }
    }
    return n;
  }

  issueCode(subject: CodeSubject, scope = 'snsapi_base'): string {
    if (typeof subject === 'string') this.corp.member(subject);
    const code = randomToken(24);
    this.codes.set(code, { subject, scope, issuedAt: this.now(), used: false });
    this.stats.codesIssued++;
    return code;
  }

  /** Single use, 5 minutes (https://developer.work.weixin.qq.com/document/path/91022); otherwise 40029. */
  consumeCode(code: string): { subject: CodeSubject; scope: string } {
    const rec = this.codes.get(code);
    if (!rec || rec.used || this.now() - rec.issuedAt > CODE_TTL_MS) throw new ApiError(40029);
    rec.used = true;
    this.stats.codesExchanged++;
    return { subject: rec.subject, scope: rec.scope };
  }

  /** user_ticket for snsapi_privateinfo, valid 1800 s (https://developer.work.weixin.qq.com/document/path/91023). */
  issueUserTicket(userid: string): string {
    const ticket = randomToken(48);
    this.userTickets.set(ticket, { userid, expiresAt: this.now() + 1800_000 });
    return ticket;
  }

  /** 84015 unknown, 84014 expired (https://developer.work.weixin.qq.com/document/path/96443). */
  userTicket(ticket: string): string {
    const rec = this.userTickets.get(ticket);
    if (!rec) throw new ApiError(84015);
    if (this.now() >= rec.expiresAt) throw new ApiError(84014);
    return rec.userid;
  }

  issueTicket(kind: 'jsapi' | 'agent_config'): { ticket: string; expires_in: number } {
    const ticket = randomToken(64);
    this.tickets.set(ticket, { kind, expiresAt: this.now() + TICKET_TTL_SEC * 1000 });
    if (kind === 'jsapi') this.stats.jsapiTicketsIssued++;
    else this.stats.agentTicketsIssued++;
    return { ticket, expires_in: TICKET_TTL_SEC };
  }

  /**
   * Whether `signature` is a valid JS-SDK signature (https://developer.work.weixin.qq.com/document/path/90506) over an
   * unexpired ticket of `kind` issued by this simulator: 'jsapi' for wx.config, 'agent_config' for wx.agentConfig.
   */
  verifyJsSdkSignature(kind: 'jsapi' | 'agent_config', p: { noncestr: string; timestamp: string | number; url: string; signature: string }): boolean {
    const now = this.now();
    for (const [ticket, t] of this.tickets) {
      if (t.kind === kind && t.expiresAt > now && jsapiSignature(ticket, p.noncestr, p.timestamp, p.url) === p.signature) return true;
    }
    return false;
  }

  failNext(path: string, errcode: number, times = 1): void {
    this.injectFault(path, { errcode }, times);
  }

  injectFault(path: string, fault: Fault, times = 1): void {
    const key = apiPath(path);
    const q = this.failures.get(key) ?? [];
    for (let i = 0; i < times; i++) q.push({ ...fault });
    this.failures.set(key, q);
  }

  takeFault(path: string): Fault | undefined {
    const q = this.failures.get(path);
    const fault = q?.shift();
    if (q && !q.length) this.failures.delete(path);
    return fault;
  }

  /** Snapshot of stats with the limiter maxima filled in. */
  snapshot(): SimStats {
    this.stats.maxCallsInAnyMinute = this.limiter.maxPerPath();
    this.stats.maxCallsInAnyMinuteOverall = this.limiter.maxOverall();
    return this.stats;
  }

  resetStats(): void {
    Object.assign(this.stats, emptyStats());
    this.limiter.reset();
    this.msg.resetWindows();
  }
}
