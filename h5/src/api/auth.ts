import { post } from './http';

/** Where the server starts sign-in: OAuth inside WeCom, web login on a desktop browser. */
export function signInUrl(redirect: string): string {
  return `/auth/wecom/login?redirect=${encodeURIComponent(redirect)}`;
}

/** POST /auth/logout → 204; the session cookie is cleared by the server. */
export function logout(): Promise<void> {
  return post<void>('/auth/logout', undefined, { redirectOn401: false });
}
