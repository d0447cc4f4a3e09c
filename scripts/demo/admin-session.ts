import { randomUUID } from 'node:crypto';

/** An error answer of the admin API, with its stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A person signed in to the admin API as the web app is (session cookie plus the CSRF header),
 * acting in one tenant. Writes carry an Idempotency-Key (required on actions, harmless elsewhere).
 */
export class AdminSession {
  private constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string>,
  ) {}

  static async signIn(baseUrl: string, email: string, password: string, tenant: string): Promise<AdminSession> {
    const res = await fetch(`${baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!res.ok) throw new ApiError(res.status, undefined, `signing in as ${email} failed (${res.status})`);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return new AdminSession(baseUrl, { cookie, 'x-csrf-token': csrfToken, 'x-tenant-id': tenant });
  }

  get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.send<T>('POST', path, body, { 'idempotency-key': randomUUID() });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PUT', path, body, { 'idempotency-key': randomUUID() });
  }

  private async send<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...this.headers, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(
        res.status,
        error?.code,
        `${method} ${path} answered ${res.status}: ${error?.message ?? text}`,
      );
    }
    return parsed as T;
  }
}
