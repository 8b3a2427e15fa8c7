import type { HomeResponse, MeResponse } from '@shopcrew/shared';
import type { Logger } from '../lib/logger';
import type { RoleService } from '../modules/roles/role.service';
import type { AppContext, AppState } from './context';
import { guard } from './guard';
import type { RouteDef } from './routes';

/**
 * First-paint data for the H5. A signed-in member's page load gets, embedded in index.html as
 * `<script id="bootstrap" type="application/json">`, the bodies the H5 would otherwise fetch right
 * after its JS arrives (GET /api/me, GET /api/home): on a phone network that saves a whole round trip.
 * h5/src/api/bootstrap.ts reads it; without it (signed out, or anything here failed) the H5 fetches.
 */
export interface H5Bootstrap {
  me: MeResponse;
  home: HomeResponse;
}

/** Builds the bootstrap for a request that has a member (ctx.state.userid); null means "serve the plain page". */
export type H5BootstrapLoader = (ctx: AppContext) => Promise<Partial<H5Bootstrap> | null>;

/** Bootstrap key → the API route whose body it carries. */
export const H5_BOOTSTRAP_ROUTES: Readonly<Record<keyof H5Bootstrap, string>> = { me: '/api/me', home: '/api/home' };

/**
 * The loader, answering from the API's own route table: each GET route runs (guard + handler, as
 * the router would) against a small stand-in context that shares the page request's state and
 * cookies but cannot touch its response. So the embedded bodies are exactly what the API returns,
 * with no second copy of the logic. Any failure (no such member anymore, a 401/403, a DB error)
 * gives null: the H5 then makes the real requests and handles them as usual.
 */
export function routeBootstrap(
  routes: readonly RouteDef[],
  roles: RoleService,
  logger: Logger,
  apis: Readonly<Record<string, string>> = H5_BOOTSTRAP_ROUTES,
): H5BootstrapLoader {
  const plan = Object.entries(apis).map(([key, path]) => {
    const route = routes.find((r) => r.method === 'get' && r.path === path);
    if (!route) throw new Error(`h5 bootstrap: no GET ${path} route`);
    return { key, path, run: guard(route.access, roles), handler: route.handler };
  });

  return async (ctx) => {
    if (!ctx.state.userid) return null;
    // One state for all routes: the guard's grants lookup then happens once per page load.
    const state: AppState = { ...ctx.state };
    const data: Record<string, unknown> = {};
    try {
      for (const { key, path, run, handler } of plan) {
        const api = apiContext(ctx, state, path);
        await run(api, async () => {
          await handler(api);
        });
        if (api.status !== 200 || api.body === undefined) return null;
        data[key] = api.body;
      }
    } catch (err) {
      // 401/403 are expected (member removed, session just revoked); anything else is worth a look.
      const status = (err as { status?: unknown }).status;
      if (typeof status !== 'number' || status >= 500) logger.warn({ err, requestId: ctx.state.requestId }, 'h5 bootstrap failed; the page will fetch instead');
      return null;
    }
    return data;
  };
}

/**
 * What a GET handler sees: the page request's member, cookies and headers, an empty query, and a
 * body/status of its own. Header writes are dropped (they belong to the API response, not the page).
 */
function apiContext(page: AppContext, state: AppState, path: string): AppContext {
  let body: unknown;
  let status = 404;
  const api = {
    state,
    method: 'GET',
    path,
    url: path,
    query: {},
    querystring: '',
    params: {},
    request: page.request,
    headers: page.headers,
    cookies: page.cookies,
    app: page.app,
    get: (field: string) => page.get(field),
    set: () => undefined,
    append: () => undefined,
    remove: () => undefined,
    vary: () => undefined,
    throw: (...args: Parameters<AppContext['throw']>) => page.throw(...args),
    get body() {
      return body;
    },
    set body(value: unknown) {
      body = value;
      if (status === 404) status = 200;
    },
    get status() {
      return status;
    },
    set status(value: number) {
      status = value;
    },
  };
  return api as unknown as AppContext;
}

/**
 * index.html with the bootstrap as a JSON data block (not executed) before </body>. `<` is escaped
 * so no value can end the element or open a comment; JSON.parse reads \u003c back as `<`.
 */
export function injectBootstrap(html: string, data: unknown): string {
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  const tag = `<script id="bootstrap" type="application/json">${json}</script>`;
  const at = html.lastIndexOf('</body>');
  return at < 0 ? html + tag : `${html.slice(0, at)}${tag}\n  ${html.slice(at)}`;
}
