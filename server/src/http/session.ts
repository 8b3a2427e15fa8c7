import type Koa from 'koa';
import type { SessionService } from '../modules/auth/session.service';
import type { AppState } from './context';

export const SESSION_COOKIE = 'sid';

/** Resolves the `sid` cookie to a member (active, unrevoked, unexpired) on every request. */
export function sessionMiddleware(sessions: SessionService): Koa.Middleware<AppState> {
  return async (ctx, next) => {
    const token = readSessionCookie(ctx);
    if (token) {
      const userid = await sessions.resolve(token);
      if (userid) ctx.state.userid = userid;
    }
    await next();
  };
}

/**
 * The session token, only when its `sid.sig` HMAC (app.keys = SESSION_SECRET) verifies. `signed: true`
 * must be explicit: the cookies package skips the check when get() has no options
 * (https://github.com/pillarjs/cookies#cookiesget-name--options--).
 */
export function readSessionCookie(ctx: Koa.Context | Koa.ParameterizedContext<AppState>): string | undefined {
  return ctx.cookies.get(SESSION_COOKIE, { signed: true });
}

export function sessionCookieOptions(secure: boolean, maxAgeMs: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: '/', maxAge: maxAgeMs, overwrite: true, signed: true };
}
