/** A tiny browser stand-in for API tests: a cookie jar and manual redirects over Node's fetch. */
import type { Stack } from './stack';

export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly userAgent = 'Mozilla/5.0 (Macintosh) Chrome/120 Safari/537.36',
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`;
    const headers = new Headers(init.headers);
    headers.set('user-agent', this.userAgent);
    // What the H5 sends on every write (the server's CSRF check): its own Origin and a JSON type.
    const method = (init.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD' && url.startsWith(this.baseUrl)) {
      if (!headers.has('origin')) headers.set('origin', new URL(this.baseUrl).origin);
      // A FormData body gets its multipart type (with the boundary) from fetch itself.
      if (!headers.has('content-type') && !(init.body instanceof FormData)) headers.set('content-type', 'application/json');
    }
    if (this.cookies.size && url.startsWith(this.baseUrl)) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    if (url.startsWith(this.baseUrl)) {
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const [name, ...rest] = pair!.split('=');
        const value = rest.join('=');
        if (!value || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name!.trim());
        else this.cookies.set(name!.trim(), value);
      }
    }
    return res;
  }

  async json<T = unknown>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
    const res = await this.request(path, init);
    return { status: res.status, body: (await res.json()) as T };
  }
}

/** Start sign-in and return the state the server put in the WeCom URL. */
export async function beginSignin(browser: Browser, redirect = '/'): Promise<{ location: URL; state: string }> {
  const res = await browser.request(`/auth/wecom/login?redirect=${encodeURIComponent(redirect)}`);
  if (res.status !== 302) throw new Error(`login answered ${res.status}`);
  const location = new URL(res.headers.get('location')!);
  return { location, state: location.searchParams.get('state')! };
}

/** Full sign-in as `userid` through the simulator; returns where the server sent the browser. */
export async function signIn(
  stack: Stack,
  userid: string,
  redirect = '/',
  browser = new Browser(stack.baseUrl),
): Promise<{ browser: Browser; landed: string }> {
  const { state } = await beginSignin(browser, redirect);
  const code = stack.sim.issueCode(userid);
  const res = await browser.request(`/auth/wecom/callback?code=${encodeURIComponent(code)}&state=${state}`);
  return { browser, landed: res.headers.get('location') ?? '' };
}
