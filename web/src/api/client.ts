/**
 * The one way the Flagpole web app talks to its API.
 *
 * - JSON in and out, cookies of the same origin only.
 * - `X-CSRF-Token` on every request that is not a GET (the token comes from /auth/me or login).
 * - `X-Tenant-Id` with the slug of the tenant the user is looking at.
 * - An `Idempotency-Key` on every POST and PATCH; a retry of the same call sends the same key,
 *   so the server answers a replay instead of doing the write twice. A caller that lets the
 *   person retry (a confirmation dialog) passes its own key and sends it again on each try.
 * - `getFresh` polls with `If-None-Match`: a `304` answers from the last body, unchanged.
 * - Errors in the API's error shape become an `ApiError`.
 */

export interface ApiErrorDetail {
  path?: string;
  message: string;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: ApiErrorDetail[];
  readonly requestId: string | null;

  constructor(init: {
    code: string;
    message: string;
    status: number;
    details?: ApiErrorDetail[];
    requestId?: string | null;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.code = init.code;
    this.status = init.status;
    this.details = init.details ?? [];
    this.requestId = init.requestId ?? null;
  }

  /** The messages of `details` whose path is `field` or inside it (`tags` matches `tags[2]`). */
  messagesFor(field: string): string[] {
    return this.details
      .filter(
        (d) =>
          d.path !== undefined &&
          (d.path === field || d.path.startsWith(`${field}[`) || d.path.startsWith(`${field}.`)),
      )
      .map((d) => d.message);
  }

  get isNetworkError(): boolean {
    return this.code === 'NETWORK_ERROR';
  }
}

/** Turns anything thrown into an ApiError, so views have one shape to show. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError({ code: 'CLIENT_ERROR', message: message || 'Something went wrong.', status: 0 });
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Sent as `If-Match: "<version>"`. */
  ifMatch?: number;
  /** Overrides the current tenant; `null` sends no X-Tenant-Id (for /auth calls). */
  tenant?: string | null;
  /** Extra attempts after a network failure or a 502/503/504 that is not a switch; 0 disables. */
  retries?: number;
  signal?: AbortSignal;
  /** The key of a write the person may try again; a new one per call when absent. */
  idempotencyKey?: string;
  /** Sent as `If-None-Match` (from `getFresh`). */
  ifNoneMatch?: string;
}

interface ClientState {
  csrfToken: string | null;
  tenant: string | null;
  onUnauthenticated: ((err: ApiError) => void) | null;
}

const state: ClientState = { csrfToken: null, tenant: null, onUnauthenticated: null };

export function setCsrfToken(token: string | null): void {
  state.csrfToken = token;
}

export function setCurrentTenant(slug: string | null): void {
  state.tenant = slug;
}

export function getCurrentTenant(): string | null {
  return state.tenant;
}

/** Called when a request that needed a session is answered 401 (the session has expired). */
export function onUnauthenticated(handler: ((err: ApiError) => void) | null): void {
  state.onUnauthenticated = handler;
}

/** `crypto.randomUUID` exists only in secure contexts; fall back to getRandomValues elsewhere. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    // the API refuses unknown or empty parameters: send only those with a value
    if (v === undefined || v === null || v === '') continue;
    params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function parseError(res: Response): Promise<ApiError> {
  const headerRequestId = res.headers.get('X-Request-Id');
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: a proxy page or an empty body
  }
  const e = (body as { error?: { code?: unknown; message?: unknown; details?: unknown; requestId?: unknown } } | null)
    ?.error;
  if (e && typeof e.code === 'string') {
    return new ApiError({
      code: e.code,
      message: typeof e.message === 'string' ? e.message : res.statusText,
      status: res.status,
      details: Array.isArray(e.details) ? (e.details as ApiErrorDetail[]) : [],
      requestId: typeof e.requestId === 'string' ? e.requestId : headerRequestId,
    });
  }
  return new ApiError({
    code: res.status >= 500 ? 'UNAVAILABLE' : 'HTTP_ERROR',
    message:
      res.status >= 500
        ? 'Flagpole is not reachable right now; try again in a moment.'
        : `The request failed (HTTP ${res.status}).`,
    status: res.status,
    requestId: headerRequestId,
  });
}

interface RawResponse<T> {
  status: number;
  etag: string | null;
  body: T;
}

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  return (await send<T>(method, path, options)).body;
}

async function send<T>(method: Method, path: string, options: RequestOptions): Promise<RawResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const hasBody = options.body !== undefined;
  if (hasBody) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.csrfToken) headers['X-CSRF-Token'] = state.csrfToken;
  const tenant = options.tenant === undefined ? state.tenant : options.tenant;
  if (tenant) headers['X-Tenant-Id'] = tenant;
  // one key per logical call: every retry below reuses it
  if (method === 'POST' || method === 'PATCH' || method === 'PUT' || method === 'DELETE')
    headers['Idempotency-Key'] = options.idempotencyKey ?? newIdempotencyKey();
  if (options.ifMatch !== undefined) headers['If-Match'] = `"${options.ifMatch}"`;
  if (options.ifNoneMatch) headers['If-None-Match'] = options.ifNoneMatch;

  const url = path + buildQuery(options.query);
  const init: RequestInit = {
    method,
    headers,
    credentials: 'same-origin',
    // the app keeps its own copy for conditional requests; the browser's cache would hide 304s
    cache: 'no-store',
    body: hasBody ? JSON.stringify(options.body) : undefined,
    signal: options.signal,
  };

  const retries = options.retries ?? 2;
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      if (attempt < retries) {
        await sleep(300 * 2 ** attempt);
        continue;
      }
      throw new ApiError({
        code: 'NETWORK_ERROR',
        message: 'Cannot reach Flagpole. Check your connection and try again.',
        status: 0,
      });
    }
    const etag = res.headers.get('ETag');
    if (res.status === 304) return { status: 304, etag, body: undefined as T };
    if (res.ok) {
      if (res.status === 204) return { status: 204, etag, body: undefined as T };
      const text = await res.text();
      return { status: res.status, etag, body: (text ? JSON.parse(text) : undefined) as T };
    }
    const error = await parseError(res);
    // SERVICE_DISABLED is a switch someone turned off on purpose: retrying will not help
    if (RETRYABLE_STATUS.has(res.status) && error.code !== 'SERVICE_DISABLED' && attempt < retries) {
      await sleep(300 * 2 ** attempt);
      continue;
    }
    if (error.status === 401 && !path.startsWith('/auth/')) state.onUnauthenticated?.(error);
    throw error;
  }
}

const MAX_REMEMBERED = 300;
const remembered = new Map<string, { etag: string; body: unknown }>();

export interface Fresh<T> {
  data: T;
  /** False when the server answered 304: `data` is the very object returned last time. */
  changed: boolean;
}

/**
 * A GET for polling: sends the ETag of the last answer to the same URL (in the same tenant)
 * and, on `304 Not Modified`, gives back that answer's body unchanged.
 */
export async function getFresh<T>(
  path: string,
  options: Omit<RequestOptions, 'body' | 'ifNoneMatch'> = {},
): Promise<Fresh<T>> {
  const tenant = options.tenant === undefined ? state.tenant : options.tenant;
  const key = `${tenant ?? ''}|${path}${buildQuery(options.query)}`;
  const last = remembered.get(key);
  const res = await send<T>('GET', path, { ...options, ifNoneMatch: last?.etag });
  if (res.status === 304 && last) return { data: last.body as T, changed: false };
  remembered.delete(key);
  if (res.etag) {
    remembered.set(key, { etag: res.etag, body: res.body });
    if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value as string);
  }
  return { data: res.body, changed: true };
}

/** Forgets every remembered answer (after sign-out). */
export function forgetFreshAnswers(): void {
  remembered.clear();
}

type NoBody = Omit<RequestOptions, 'body'>;

export const api = {
  get: <T>(path: string, options?: NoBody) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: NoBody) =>
    request<T>('POST', path, { ...options, body: body ?? {} }),
  patch: <T>(path: string, body: unknown, options?: NoBody) => request<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body: unknown, options?: NoBody) => request<T>('PUT', path, { ...options, body }),
  delete: <T>(path: string, options?: NoBody) => request<T>('DELETE', path, options),
};
