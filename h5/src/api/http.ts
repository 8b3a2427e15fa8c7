import type { ApiErrorBody } from '@shopcrew/shared';

/**
 * The one error every API call throws. Built from the server's `{error:{code,message}}` body;
 * `status` 0 means the request never got an HTTP answer (offline, timeout).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get unauthenticated(): boolean {
    return this.status === 401;
  }
}

/** `e` as an ApiError: itself when it is one, else an `unknown` error carrying its text (for stores to keep and pages to show). */
export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, 'unknown', String(e));
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON; a FormData is sent as it is (multipart/form-data, see `upload`). */
  body?: unknown;
  signal?: AbortSignal;
  /** Milliseconds before the request is abandoned with a `timeout` ApiError. */
  timeoutMs?: number;
  /**
   * When true (the default) a 401 also calls the unauthenticated handler, which sends the whole
   * window back through sign-in: the session was revoked (e.g. the member was removed in WeCom).
   * The auth guard turns it off for its own /api/me probe and redirects with the target route.
   */
  redirectOn401?: boolean;
}

let onUnauthenticated: ((error: ApiError) => void) | null = null;

/** Registered once by modules/auth-guard.ts. */
export function setUnauthenticatedHandler(handler: ((error: ApiError) => void) | null): void {
  onUnauthenticated = handler;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function buildUrl(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: Partial<ApiErrorBody> | null;
  try {
    body = (await res.json()) as Partial<ApiErrorBody>;
  } catch {
    body = null;
  }
  const err = body?.error;
  if (err && typeof err.code === 'string') {
    return new ApiError(res.status, err.code, err.message ?? res.statusText, err.requestId, err.details);
  }
  return new ApiError(res.status, `http_${res.status}`, res.statusText || `HTTP ${res.status}`);
}

/** fetch + JSON + ApiError mapping. Cookies are same-origin only (the session cookie). */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', query, body, signal, timeoutMs = DEFAULT_TIMEOUT_MS, redirectOn401 = true } = options;
  // Manual timeout + caller signal: AbortSignal.any() is missing in older WeCom webviews.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });

  // A FormData body (a file upload) goes as multipart/form-data: the browser writes that header with its boundary.
  const form = typeof FormData !== 'undefined' && body instanceof FormData ? body : null;
  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        // Every other write says JSON, body or not: the server refuses other writes (its CSRF check).
        ...(form === null && (body !== undefined || method !== 'GET') ? { 'Content-Type': 'application/json' } : {}),
        // An upload's custom header: like a JSON type, only a same-origin (preflight-free) request can carry it.
        ...(form !== null ? { 'X-Requested-With': 'ShopCrew' } : {}),
      },
      body: form ?? (body !== undefined ? JSON.stringify(body) : undefined),
      signal: controller.signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause; // the caller cancelled: not an error to show
    throw timedOut
      ? new ApiError(0, 'timeout', 'Request timed out')
      : new ApiError(0, 'network_error', cause instanceof Error ? cause.message : 'Network error');
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }

  if (!res.ok) {
    const error = await toApiError(res);
    if (error.unauthenticated && redirectOn401) onUnauthenticated?.(error);
    throw error;
  }
  if (res.status === 204 || res.headers.get('content-length') === '0') return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) => request<T>(path, { ...options, method: 'GET' });

export const post = <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
  request<T>(path, { ...options, method: 'POST', body });

/**
 * POST a file (multipart/form-data). Only for the routes the server declares as uploads (POST /api/sop/files): every
 * other write must be JSON (the CSRF check); the same-origin check holds for uploads too.
 */
export const upload = <T>(path: string, form: FormData, options?: Omit<RequestOptions, 'method' | 'body'>) =>
  request<T>(path, { timeoutMs: 60_000, ...options, method: 'POST', body: form });
