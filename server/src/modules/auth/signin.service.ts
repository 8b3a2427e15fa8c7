import { randomBytes } from 'node:crypto';
import { IsNull, type DataSource } from 'typeorm';
import type { SigninError } from '@shopcrew/shared';
import type { WeComClient } from '../../wecom/client/wecom-client';
import { WeComApiError, WeComInvalidCodeError } from '../../wecom/client/errors';
import type { AuditService } from '../audit/audit.service';
import { Member } from '../org/member.entity';
import { OAuthState } from './session.entity';
import { safeRedirectPath } from './redirect';
import { sha256, type SessionService } from './session.service';

const STATE_TTL_MS = 10 * 60_000;

export interface SigninConfig {
  publicUrl: string;
  corpId: string;
  agentId: string;
  oauthBase: string;
  loginBase: string;
}

export class SigninFailure extends Error {
  constructor(
    readonly reason: SigninError,
    message: string,
    /** Where the member was going, when the state told us: the error page's retry goes back there. */
    public redirect?: string,
  ) {
    super(message);
  }
}

/**
 * WeCom sign-in: OAuth inside the client (https://developer.work.weixin.qq.com/document/path/91022) or the web login on a desktop
 * browser (https://developer.work.weixin.qq.com/document/path/98152), both finishing with auth/getuserinfo
 * (https://developer.work.weixin.qq.com/document/path/91023).
 */
export class SigninService {
  constructor(
    private readonly ds: DataSource,
    private readonly wecom: WeComClient,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly config: SigninConfig,
    private readonly now: () => number = Date.now,
  ) {}

  get callbackUrl(): string {
    return `${this.config.publicUrl}/auth/wecom/callback`;
  }

  /** Start sign-in: store a single-use state bound to this browser's nonce; return where to send it. */
  async begin(rawRedirect: unknown, inWeComClient: boolean): Promise<{ url: string; browserNonce: string }> {
    const state = randomBytes(24).toString('hex'); // [a-zA-Z0-9], ≤ 128 bytes (https://developer.work.weixin.qq.com/document/path/91022)
    const browserNonce = randomBytes(24).toString('base64url');
    await this.ds.getRepository(OAuthState).insert({
      state,
      browserHash: sha256(browserNonce),
      redirect: safeRedirectPath(rawRedirect, this.config.publicUrl),
      expiresAt: this.now() + STATE_TTL_MS,
      usedAt: null,
    });
    return { url: inWeComClient ? this.oauthUrl(state) : this.webLoginUrl(state), browserNonce };
  }

  /** https://developer.work.weixin.qq.com/document/path/91022 */
  private oauthUrl(state: string): string {
    const q = new URLSearchParams({
      appid: this.config.corpId,
      redirect_uri: this.callbackUrl,
      response_type: 'code',
      scope: 'snsapi_base',
      state,
      agentid: this.config.agentId,
    });
    return `${this.config.oauthBase}/connect/oauth2/authorize?${q.toString()}#wechat_redirect`;
  }

  /** https://developer.work.weixin.qq.com/document/path/98152 */
  private webLoginUrl(state: string): string {
    const q = new URLSearchParams({ login_type: 'CorpApp', appid: this.config.corpId, agentid: this.config.agentId, redirect_uri: this.callbackUrl, state });
    return `${this.config.loginBase}/wwlogin/sso/login?${q.toString()}`;
  }

  /** Finish sign-in. Returns a new session token and the same-origin path to go back to. */
  async complete(
    code: unknown,
    state: unknown,
    browserNonce: string | undefined,
    userAgent: string,
    requestId?: string,
  ): Promise<{ token: string; userid: string; redirect: string }> {
    const redirect = await this.consumeState(state, browserNonce);
    try {
      return await this.signInMember(code, userAgent, redirect, requestId);
    } catch (err) {
      if (err instanceof SigninFailure) err.redirect = redirect;
      throw err;
    }
  }

  private async signInMember(
    code: unknown,
    userAgent: string,
    redirect: string,
    requestId?: string,
  ): Promise<{ token: string; userid: string; redirect: string }> {
    if (typeof code !== 'string' || !code || code.length > 512) throw new SigninFailure('bad_code', 'missing code');
    let identity;
    try {
      identity = await this.wecom.auth.getUserInfo(code);
    } catch (err) {
      if (err instanceof WeComInvalidCodeError) throw new SigninFailure('bad_code', 'code invalid, expired or reused');
      if (err instanceof WeComApiError) throw new SigninFailure('wecom_error', err.message);
      throw err;
    }
    if (!identity.userid) throw new SigninFailure('not_member', 'visitor is not a member of the corp');
    const member = await this.ds.getRepository(Member).findOneBy({ userid: identity.userid });
    if (!member) throw new SigninFailure('not_member', `userid ${identity.userid} is not in the member mirror`);
    if (!member.active) throw new SigninFailure('deactivated', `userid ${identity.userid} is deactivated`);
    const token = await this.ds.transaction(async (m) => {
      const t = await this.sessions.create(member.userid, userAgent, m);
      await this.audit.record(
        {
          actor: member.userid,
          action: 'auth.sign_in',
          targetType: 'member',
          targetId: member.userid,
          after: { userAgent: userAgent.slice(0, 120) },
          requestId,
        },
        m,
      );
      return t;
    });
    return { token, userid: member.userid, redirect };
  }

  /** Single use (conditional UPDATE), unexpired, and presented by the same browser that started. */
  private async consumeState(state: unknown, browserNonce: string | undefined): Promise<string> {
    if (typeof state !== 'string' || !/^[a-f0-9]{48}$/.test(state)) throw new SigninFailure('bad_state', 'missing or malformed state');
    const row = await this.ds.getRepository(OAuthState).findOneBy({ state });
    if (!row) throw new SigninFailure('bad_state', 'state unknown');
    if (!browserNonce || row.browserHash !== sha256(browserNonce)) throw new SigninFailure('bad_state', 'state not issued to this browser', row.redirect);
    const used = await this.ds
      .getRepository(OAuthState)
      .createQueryBuilder()
      .update()
      .set({ usedAt: this.now() })
      .where({ state, usedAt: IsNull() })
      .andWhere('expires_at > :now', { now: this.now() })
      .execute();
    if (used.affected !== 1) throw new SigninFailure('bad_state', 'state expired or already used', row.redirect);
    return row.redirect;
  }
}
