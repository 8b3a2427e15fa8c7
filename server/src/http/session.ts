import type Koa from 'koa';
import type { SessionService } from '../modules/auth/session.service';
import type { AppState } from './context';

export const SESSION_COOKIE = 'sid';

/** Resolves the `sid` cookie to a member (active, unrevoked, unexpired) on every request. */
export function sessionMiddleware(sessions: SessionService): Koa.Middleware<AppState> {
  return async (ctx, next) => {
    const token = ctx.cookies.get(SESSION_COOKIE);
    if (token) {
      const userid = await sessions.resolve(token);
      if (userid) ctx.state.userid = userid;
    }
    await next();
  };
}

export function sessionCookieOptions(secure: boolean, maxAgeMs: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: '/', maxAge: maxAgeMs, overwrite: true };
}
