import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { createTenant, createTestApp, signIn, TEST_PASSWORD, type TestApp, type TestTenant } from '../support/test-app';

let t: TestApp;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestApp({ env: { LOGIN_MAX_FAILURES: '3' } });
  tenant = await createTenant(t.c);
});
afterAll(() => t.close());

const loginEvents = (userId: string) =>
  t.c.db('audit_log').where({ actorId: userId }).whereIn('action', ['auth.login', 'auth.logout']).orderBy('createdAt');

describe('sessions', () => {
  it('when a person signs in, then the cookie is HttpOnly and SameSite=Lax, /auth/me lists tenants and roles, and the login is audited', async () => {
    const { agent, userId, email } = await signIn(t, { [tenant.slug]: 'editor' });
    const me = await agent.get('/auth/me').expect(200);
    expect(me.body.user.email).toBe(email);
    expect(me.body.tenants).toEqual([expect.objectContaining({ slug: tenant.slug, role: 'editor' })]);
    expect(await loginEvents(userId)).toHaveLength(1);

    const raw = await request(t.app).post('/auth/login').send({ email, password: TEST_PASSWORD }).expect(200);
    const cookie = String(raw.headers['set-cookie']);
    expect(cookie).toMatch(/flagpole_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('when a cookie-authenticated write has no CSRF token, then 403; with it, the write goes through', async () => {
    const { agent, csrf } = await signIn(t, { [tenant.slug]: 'editor' });
    const refused = await agent.post('/admin/feature-flags').send({ key: 'csrf.flag' }).expect(403);
    expect(refused.body.error.message).toMatch(/CSRF/);
    await agent.post('/admin/feature-flags').set('X-CSRF-Token', 'wrong').send({ key: 'csrf.flag' }).expect(403);
    await agent.post('/admin/feature-flags').set('X-CSRF-Token', csrf).send({ key: 'csrf.flag' }).expect(201);
  });

  it('when a person logs out, then the session no longer works and the logout is audited', async () => {
    const { agent, csrf, userId } = await signIn(t, { [tenant.slug]: 'viewer' });
    await agent.post('/auth/logout').set('X-CSRF-Token', csrf).expect(204);
    await agent.get('/auth/me').expect(401);
    expect((await loginEvents(userId)).map((e) => e.action)).toEqual(['auth.login', 'auth.logout']);
  });

  it('when the password is wrong, then 401 without saying which part; after the limit, 429 with Retry-After even for the right password', async () => {
    const { email } = await signIn(t, { [tenant.slug]: 'viewer' });
    for (let i = 0; i < 3; i++) {
      const res = await request(t.app).post('/auth/login').send({ email, password: 'wrong-password' }).expect(401);
      expect(res.body.error.message).toBe('Email or password is incorrect.');
    }
    const limited = await request(t.app).post('/auth/login').send({ email, password: TEST_PASSWORD }).expect(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const unknown = await request(t.app)
      .post('/auth/login')
      .send({ email: 'nobody@example.test', password: 'whatever' })
      .expect(401);
    expect(unknown.body.error.message).toBe('Email or password is incorrect.');
  });

  it('when the throttle window has passed, then the right password works again, and a success clears the count', async () => {
    const clock = new FakeClock();
    const app = await createTestApp({ clock, env: { LOGIN_MAX_FAILURES: '2', LOGIN_WINDOW_SECONDS: '60' } });
    try {
      const { email } = await signIn(app, { [tenant.slug]: 'viewer' });
      const login = (password: string) => request(app.app).post('/auth/login').send({ email, password });
      await login('wrong-password').expect(401);
      await login('wrong-password').expect(401);
      expect((await login(TEST_PASSWORD).expect(429)).headers['retry-after']).toBe('60');
      clock.advance(59_000);
      expect((await login(TEST_PASSWORD).expect(429)).headers['retry-after']).toBe('1');
      clock.advance(1_000);
      await login(TEST_PASSWORD).expect(200);
      await login('wrong-password').expect(401);
      await login(TEST_PASSWORD).expect(200); // a success forgets the failures before it…
      await login('wrong-password').expect(401);
      await login(TEST_PASSWORD).expect(200); // …so this is one failure, not two
    } finally {
      await app.close();
    }
  });
});

describe('API tokens', () => {
  it('when an admin creates a token, then its secret is shown once, works, is stored hashed, and revoking it locks it out', async () => {
    const { agent, csrf } = await signIn(t, { [tenant.slug]: 'admin' });
    const created = await agent
      .post('/admin/api-tokens')
      .set('X-CSRF-Token', csrf)
      .set('Idempotency-Key', 'tok-1')
      .send({ name: 'ci', role: 'editor' })
      .expect(201);
    const { secret, token } = created.body;
    expect(secret).toMatch(/^fp_/);
    const replay = await agent
      .post('/admin/api-tokens')
      .set('X-CSRF-Token', csrf)
      .set('Idempotency-Key', 'tok-1')
      .send({ name: 'ci', role: 'editor' })
      .expect(201);
    expect(replay.body).toEqual({ token, secret: null });
    const stored = await t.c.db('api_tokens').where({ id: token.id }).first();
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(JSON.stringify(await t.c.db('idempotency_keys').select('responseBody'))).not.toContain(secret);

    await request(t.app).get('/admin/feature-flags').set('Authorization', `Bearer ${secret}`).expect(200);
    const list = await agent.get('/admin/api-tokens').expect(200);
    expect(list.body.items[0]).toMatchObject({ id: token.id, name: 'ci', role: 'editor', scope: 'admin' });
    expect(list.body.items[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(secret);

    await agent
      .post(`/admin/api-tokens/${token.id}/actions/revoke`)
      .set('X-CSRF-Token', csrf)
      .set('Idempotency-Key', 'tok-2')
      .send({})
      .expect(200);
    await request(t.app).get('/admin/feature-flags').set('Authorization', `Bearer ${secret}`).expect(401);
    const actions = await t.c.db('audit_log').where({ resourceId: token.id }).orderBy('createdAt').pluck('action');
    expect(actions).toEqual(['api_token.created', 'api_token.revoked']);
  });

  it('when an evaluation token is requested with a role, then 400', async () => {
    const { agent, csrf } = await signIn(t, { [tenant.slug]: 'admin' });
    const res = await agent
      .post('/admin/api-tokens')
      .set('X-CSRF-Token', csrf)
      .send({ name: 'sdk', scope: 'evaluation', role: 'admin' })
      .expect(400);
    expect(res.body.error.details[0].path).toBe('role');
  });
});

describe('operability', () => {
  it('when asked, then healthz, readyz, metrics and the OpenAPI document answer, with request ids and security headers', async () => {
    await request(t.app).get('/healthz').expect(200);
    const ready = await request(t.app).get('/readyz').expect(200);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: { database: 'ok', queues: 'ok' },
      mode: { database: 'external', queues: t.config.queueBackend },
    });
    const metrics = await request(t.app).get('/metrics').expect(200);
    expect(metrics.text).toContain('flagpole_http_request_duration_seconds');
    const doc = await request(t.app).get('/openapi.json').set('X-Request-Id', 'trace-123').expect(200);
    expect(doc.headers['x-request-id']).toBe('trace-123');
    expect(doc.headers['x-content-type-options']).toBe('nosniff');
    expect(doc.headers['content-security-policy']).toContain("default-src 'self'");
    expect(doc.body.openapi).toBe('3.1.0');
    const disable = doc.body.paths['/admin/feature-flags/{id}/actions/disable'].post;
    expect(disable['x-required-role']).toBe('editor');
    expect(disable.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', required: true }));
    await request(t.app).get('/docs').expect(200).expect('Content-Type', /html/);
    const missing = await request(t.app).get('/admin/nothing-here').expect(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });
});
