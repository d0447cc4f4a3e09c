import request from 'supertest';
import {
  bearer,
  createTenant,
  createTestApp,
  signIn,
  TEST_PASSWORD,
  type TestApp,
  type TestTenant,
} from '../support/test-app';

let t: TestApp;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestApp();
  tenant = await createTenant(t.c);
});
afterAll(() => t.close());

const HOST = 'flagpole.example:8080';
const flagKeys = async () => (await t.c.db('feature_flags').where({ tenantId: tenant.id }).pluck('key')).sort();

describe('Origin check on cookie writes', () => {
  it('when a cookie write comes from a foreign Origin (or Referer), then 403 FORBIDDEN and nothing changes, even with the right CSRF token', async () => {
    const { agent, csrf } = await signIn(t, { [tenant.slug]: 'editor' });
    const before = await flagKeys();
    const write = () =>
      agent.post('/admin/feature-flags').set('Host', HOST).set('X-CSRF-Token', csrf).send({ key: 'origin.foreign' });
    for (const [header, value] of [
      ['Origin', 'https://evil.example'],
      ['Origin', 'http://flagpole.example:9090'],
      ['Origin', 'null'],
      ['Origin', 'not a url'],
      ['Referer', 'https://evil.example/page'],
    ]) {
      const res = await write().set(header, value).expect(403);
      expect(res.body.error).toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringMatching(new RegExp(`Cross-site write refused: the ${header} header`)),
      });
    }
    expect(await flagKeys()).toEqual(before);
  });

  it('when a cookie write comes from the own origin, or names no page at all, then it goes through on the CSRF token', async () => {
    const { agent, csrf } = await signIn(t, { [tenant.slug]: 'editor' });
    const write = (key: string) =>
      agent.post('/admin/feature-flags').set('Host', HOST).set('X-CSRF-Token', csrf).send({ key });
    await write('origin.own').set('Origin', `http://${HOST}`).expect(201);
    await write('origin.referer').set('Referer', `http://${HOST}/feature-flags?tenant=${tenant.slug}`).expect(201);
    await write('origin.none').expect(201);
    await agent
      .post('/admin/feature-flags')
      .set('Origin', `http://${HOST}`)
      .send({ key: 'origin.no-token' })
      .expect(403);
    expect(await flagKeys()).toEqual(expect.arrayContaining(['origin.own', 'origin.referer', 'origin.none']));
    expect(await flagKeys()).not.toContain('origin.no-token');
  });

  it('when a bearer token writes with a foreign Origin, then the Origin does not matter', async () => {
    const auth = await bearer(t.c, tenant, 'editor');
    await request(t.app)
      .post('/admin/feature-flags')
      .set('Authorization', auth)
      .set('Origin', 'https://evil.example')
      .send({ key: 'origin.bearer' })
      .expect(201);
  });

  it('when a foreign page posts a sign-in or a sign-out, then 403: no session cookie is set and the session stays signed in', async () => {
    const { agent, csrf, email } = await signIn(t, { [tenant.slug]: 'viewer' });
    const login = await request(t.app)
      .post('/auth/login')
      .set('Origin', 'https://evil.example')
      .send({ email, password: TEST_PASSWORD })
      .expect(403);
    expect(login.headers['set-cookie']).toBeUndefined();
    await request(t.app)
      .post('/auth/login')
      .set('Host', HOST)
      .set('Origin', `http://${HOST}`)
      .send({ email, password: TEST_PASSWORD })
      .expect(200);

    await agent.post('/auth/logout').set('Origin', 'https://evil.example').set('X-CSRF-Token', csrf).expect(403);
    await agent.get('/auth/me').expect(200);
    await agent
      .post('/auth/logout')
      .set('Host', HOST)
      .set('Origin', `http://${HOST}`)
      .set('X-CSRF-Token', csrf)
      .expect(204);
    await agent.get('/auth/me').expect(401);
  });

  it('when TLS ends at a trusted proxy, then its X-Forwarded-Proto gives the scheme; from an untrusted one it is ignored', async () => {
    const viaProxy = (app: TestApp) =>
      request(app.app)
        .post('/auth/login')
        .set('Host', 'flagpole.example')
        .set('X-Forwarded-Proto', 'https')
        .set('Origin', 'https://flagpole.example');
    const trusting = await createTestApp({ env: { FLAGPOLE_TRUST_PROXY: 'loopback' } });
    try {
      const { email } = await signIn(trusting, { [tenant.slug]: 'viewer' });
      await viaProxy(trusting).send({ email, password: TEST_PASSWORD }).expect(200);
      const { email: other } = await signIn(t, { [tenant.slug]: 'viewer' });
      await viaProxy(t).send({ email: other, password: TEST_PASSWORD }).expect(403);
    } finally {
      await trusting.close();
    }
  });
});
