import type { RouteDef } from '../../http/routes';
import { readSessionCookie, SESSION_COOKIE, sessionCookieOptions } from '../../http/session';
import type { AuditService } from '../audit/audit.service';
import { WeComConfigError } from '../../wecom/client/errors';
import type { Logger } from '../../lib/logger';
import type { UnitOfWork } from '../../platform/tx';
import type { SessionService } from './session.service';
import { SigninFailure, type SigninService } from './signin.service';

const NONCE_COOKIE = 'sc_oauth';

export interface AuthRouteDeps {
  uow: UnitOfWork;
  signin: SigninService;
  sessions: SessionService;
  audit: AuditService;
  logger: Logger;
  secureCookies: boolean;
  sessionTtlMs: number;
}

/**
 * The WeCom client's User-Agent contains `wxwork`: OAuth inside it
 * (https://developer.work.weixin.qq.com/document/path/91022), web login elsewhere
 * (https://developer.work.weixin.qq.com/document/path/98152).
 */
const isWeComClient = (ua: string) => /wxwork/i.test(ua);

export function authRoutes(d: AuthRouteDeps): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/auth/wecom/login',
      access: 'public',
      handler: async (ctx) => {
        const { url, browserNonce } = await d.signin.begin(ctx.query.redirect, isWeComClient(ctx.get('user-agent')));
        ctx.cookies.set(NONCE_COOKIE, browserNonce, {
          httpOnly: true,
          sameSite: 'lax',
          secure: d.secureCookies,
          path: '/auth',
          maxAge: 10 * 60_000,
          overwrite: true,
        });
        ctx.set('Cache-Control', 'no-store');
        ctx.redirect(url);
      },
    },
    {
      method: 'get',
      path: '/auth/wecom/callback',
      access: 'public',
      handler: async (ctx) => {
        ctx.set('Cache-Control', 'no-store');
        try {
          const done = await d.signin.complete(
            ctx.query.code,
            ctx.query.state,
            ctx.cookies.get(NONCE_COOKIE, { signed: true }),
            ctx.get('user-agent'),
            ctx.state.requestId,
          );
          ctx.cookies.set(NONCE_COOKIE, null, { path: '/auth' });
          ctx.cookies.set(SESSION_COOKIE, done.token, sessionCookieOptions(d.secureCookies, d.sessionTtlMs));
          ctx.redirect(done.redirect);
        } catch (err) {
          const reason = err instanceof SigninFailure ? err.reason : err instanceof WeComConfigError ? 'not_configured' : null;
          if (!reason) throw err;
          d.logger.warn({ reason, detail: (err as Error).message, requestId: ctx.state.requestId }, 'sign-in refused');
          // The state's path was checked same-origin when sign-in began; the page retries towards it.
          const back = err instanceof SigninFailure && err.redirect && err.redirect !== '/' ? `&redirect=${encodeURIComponent(err.redirect)}` : '';
          ctx.redirect(`/signin-error?reason=${reason}${back}`);
        }
      },
    },
    {
      method: 'post',
      path: '/auth/logout',
      access: 'public',
      handler: async (ctx) => {
        const token = readSessionCookie(ctx);
        if (token) {
          // One unit of work: the session ends and the sign-out is recorded together, or neither.
          await d.uow.run({ actor: 'system', requestId: ctx.state.requestId }, async (tx) => {
            const userid = await d.sessions.revoke(token, tx.manager);
            if (userid)
              await d.audit.record(
                { actor: userid, action: 'auth.sign_out', targetType: 'member', targetId: userid, requestId: ctx.state.requestId },
                tx.manager,
              );
          });
        }
        ctx.cookies.set(SESSION_COOKIE, null, { path: '/', signed: true });
        ctx.status = 204;
      },
    },
  ];
}
