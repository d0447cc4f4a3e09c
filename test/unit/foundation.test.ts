import { toAppError } from '../../api/middleware/error-handler';
import { AppError, ConflictError, httpStatusOf, NotFoundError, RateLimitedError } from '../../core/errors';
import { roleAllows, ROLES } from '../../core/permissions';
import { canonicalJson, IDEMPOTENCY_KEY_RE, requestFingerprint } from '../../modules/idempotency/fingerprint';
import { loadConfig } from '../../modules/platform/config';

describe('error mapping', () => {
  it('when a domain error is thrown, then it keeps its code and status', () => {
    expect(toAppError(new NotFoundError('Feature flag'), '1kb')).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      message: 'Feature flag not found.',
    });
    expect(toAppError(new ConflictError('busy', 'running'), '1kb').details).toEqual([
      { message: 'busy', currentState: 'running' },
    ]);
    expect(new RateLimitedError(2.2).headers).toEqual({ 'Retry-After': '3' });
  });

  it('when the body parser, Postgres or an unknown bug fails, then the contract code is chosen and nothing internal leaks', () => {
    expect(toAppError({ type: 'entity.too.large' }, '256kb')).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
    expect(toAppError({ type: 'entity.parse.failed', status: 400 }, '1kb').code).toBe('VALIDATION_FAILED');
    expect(toAppError({ code: '23505', detail: 'Key (tenant_id, key)=(…) already exists' }, '1kb')).toMatchObject({
      code: 'CONFLICT',
      status: 409,
    });
    expect(toAppError({ code: 'ECONNREFUSED' }, '1kb')).toMatchObject({ code: 'UNAVAILABLE', status: 503 });
    const internal = toAppError(new Error('select * from secrets failed'), '1kb');
    expect(internal).toMatchObject({ code: 'INTERNAL', status: 500 });
    expect(internal.message).not.toContain('secrets');
  });

  it('when any code is used, then it maps to the status of the contract table', () => {
    expect(httpStatusOf).toMatchObject({
      VALIDATION_FAILED: 400,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      IDEMPOTENCY_KEY_REUSED: 422,
      SERVICE_DISABLED: 503,
    });
    expect(new AppError('PRECONDITION_FAILED', 'x').status).toBe(412);
  });
});

describe('permissions', () => {
  it('when roles are compared, then each includes exactly the ones before it', () => {
    const table = ROLES.map((held) => ROLES.map((required) => roleAllows(held, required)));
    expect(table).toEqual([
      [true, false, false, false],
      [true, true, false, false],
      [true, true, true, false],
      [true, true, true, true],
    ]);
  });
});

describe('idempotency fingerprint', () => {
  it('when two bodies differ only in key order, then they are the same request', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}',
    );
    expect(requestFingerprint('post', '/x', { a: 1, b: 2 })).toBe(requestFingerprint('POST', '/x', { b: 2, a: 1 }));
  });

  it('when method, path or body differ, then the fingerprint differs', () => {
    const base = requestFingerprint('POST', '/admin/feature-flags/1/actions/enable', { reason: 'a' });
    expect(requestFingerprint('POST', '/admin/feature-flags/1/actions/disable', { reason: 'a' })).not.toBe(base);
    expect(requestFingerprint('PATCH', '/admin/feature-flags/1/actions/enable', { reason: 'a' })).not.toBe(base);
    expect(requestFingerprint('POST', '/admin/feature-flags/1/actions/enable', { reason: 'b' })).not.toBe(base);
  });

  it('when a key is checked, then only 1–255 visible ASCII characters pass', () => {
    expect(IDEMPOTENCY_KEY_RE.test('a')).toBe(true);
    expect(IDEMPOTENCY_KEY_RE.test('0193-abc:retry#2')).toBe(true);
    expect(IDEMPOTENCY_KEY_RE.test('')).toBe(false);
    expect(IDEMPOTENCY_KEY_RE.test('with space')).toBe(false);
    expect(IDEMPOTENCY_KEY_RE.test('é')).toBe(false);
    expect(IDEMPOTENCY_KEY_RE.test('x'.repeat(256))).toBe(false);
  });
});

describe('config', () => {
  it('when nothing is set, then the development defaults for this machine apply', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      env: 'development',
      port: 3000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/flagpole',
      redisUrl: 'redis://127.0.0.1:6379',
      adminWrites: true,
      cookieSecure: false,
    });
  });

  it('when a value is invalid or a FLAGPOLE_ setting is unknown, then loading fails naming it', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ FLAGPOLE_ADMIN_WRITE: 'off' })).toThrow(/FLAGPOLE_ADMIN_WRITE: unknown setting/);
    expect(() => loadConfig({ FLAGPOLE_ADMIN_WRITES: 'maybe' })).toThrow(/FLAGPOLE_ADMIN_WRITES/);
  });

  it('when running in production, then a session secret and secret keys are required and cookies are Secure', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32) })).toThrow(
      /FLAGPOLE_SECRET_KEYS/,
    );
    const keys = Buffer.alloc(32, 7).toString('base64');
    expect(
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32), FLAGPOLE_SECRET_KEYS: keys }).cookieSecure,
    ).toBe(true);
  });
});
