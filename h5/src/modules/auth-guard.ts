import type { RouteLocationRaw } from 'vue-router';
import type { UserModule } from '@/types';
import { signInUrl } from '@/api/auth';
import { ApiError, setUnauthenticatedHandler } from '@/api/http';
import { resetStores } from '@/stores/reset';
import { useSessionStore } from '@/stores/session';

/**
 * WeCom sign-in guard. The first navigation to a non-public route loads /api/me; a 401 sends the
 * whole window to /auth/wecom/login?redirect=<the full path asked for>. The server runs OAuth (inside
 * WeCom) or web login (desktop) and comes back to that path, so deep links survive sign-in.
 * Any later 401 (session revoked, e.g. the member was deleted in WeCom) goes the same way.
 */

const ATTEMPTS_KEY = 'shopcrew.signin.attempts';
const LOOP_WINDOW_MS = 60_000;
const LOOP_LIMIT = 3;

/** Timestamps of recent sign-in redirects, to stop a loop when the cookie never sticks. */
function recentAttempts(): number[] {
  try {
    const raw = JSON.parse(sessionStorage.getItem(ATTEMPTS_KEY) ?? '[]') as unknown;
    const now = Date.now();
    return Array.isArray(raw) ? raw.filter((n): n is number => typeof n === 'number' && now - n < LOOP_WINDOW_MS) : [];
  } catch {
    return [];
  }
}

function saveAttempts(attempts: number[]): void {
  try {
    if (attempts.length) sessionStorage.setItem(ATTEMPTS_KEY, JSON.stringify(attempts));
    else sessionStorage.removeItem(ATTEMPTS_KEY);
  } catch {
    /* storage disabled: no loop protection */
  }
}

let leaving = false;
/** Set once the session has worked on this page: the sign-in redirects so far did stick. */
let confirmed = false;

function signedIn(): true {
  if (!confirmed) {
    confirmed = true;
    // After the first page is up: the first sessionStorage access of a page load is a slow,
    // synchronous read of the storage area, and the first page needs nothing from it.
    window.setTimeout(() => saveAttempts([]), 0);
  }
  return true;
}

/**
 * Leave for sign-in, coming back to `path`. Returns the route to show instead when sign-in keeps
 * failing to stick (cookies blocked), otherwise false (navigation is cancelled; the page unloads).
 */
function goToSignIn(path: string): RouteLocationRaw | false {
  const attempts = recentAttempts();
  if (attempts.length >= LOOP_LIMIT) {
    saveAttempts([]);
    return { name: 'signin-error', query: { reason: 'cookie_blocked', redirect: path } };
  }
  if (!leaving) {
    leaving = true;
    saveAttempts([...attempts, Date.now()]);
    window.location.assign(signInUrl(path));
  }
  return false;
}

export const install: UserModule = ({ router, pinia }) => {
  setUnauthenticatedHandler(() => {
    // Whoever signs in next (maybe someone else on this phone) starts from empty stores.
    resetStores(pinia);
    const current = router.currentRoute.value;
    const target = goToSignIn(current.meta.public ? '/' : current.fullPath);
    if (target) void router.replace(target);
  });

  router.beforeEach(async (to) => {
    const session = useSessionStore(pinia);
    if (to.meta.public) {
      // Public pages never wait or redirect, but a signed-in member still gets the demo notice.
      if (session.state === 'idle') void session.load().catch(() => undefined);
      return true;
    }
    // Usually already there: the server embeds the member in the page (api/bootstrap.ts).
    if (session.me) return signedIn();
    try {
      const loading = session.load();
      to.meta.prefetch?.();
      await loading;
      return signedIn();
    } catch (error) {
      if (error instanceof ApiError && error.unauthenticated) return goToSignIn(to.fullPath);
      return true; // network or server error: App.vue shows it with a retry
    }
  });
};
