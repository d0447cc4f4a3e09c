import request from 'supertest';
import { clientToken, listen } from '../support/ofrep';
import { bearer, createTenant, createTestApp, uniqueSuffix, type TestApp, type TestTenant } from '../support/test-app';

/** Two api processes on one database and one queue store (Redis, or PostgreSQL in the integration-pg-queues project). */
let a: TestApp;
let b: TestApp;
let bServer: { url: string; close(): Promise<void> };
let tenant: TestTenant;
let other: TestTenant;
let admin: string;

beforeAll(async () => {
  // a cache that would outlive the test: only the change signal can make B forget a token
  const env = {
    REDIS_PREFIX: `fptest-revoke-${uniqueSuffix()}`,
    FLAGPOLE_TOKEN_CACHE_SECONDS: '3600',
    FLAGPOLE_SNAPSHOT_CHECK_SECONDS: '3600',
  };
  a = await createTestApp({ env });
  b = await createTestApp({ env });
  await b.c.evaluation.start();
  bServer = await listen(b.c);
  tenant = await createTenant(a.c);
  other = await createTenant(a.c);
  admin = await bearer(a.c, tenant, 'admin');
});
afterAll(async () => {
  await bServer.close();
  await Promise.all([a.close(), b.close()]);
});

const evaluateOnB = (secret: string) =>
  request(bServer.url)
    .post('/ofrep/v1/evaluate/flags')
    .set('Authorization', `Bearer ${secret}`)
    .send({ context: { targetingKey: 'u-1' } });

describe('revoking a client token', () => {
  it('when a token is revoked through api A, then the very next evaluation with it through api B answers 401; other tenants’ tokens stay cached', async () => {
    const secret = await clientToken(a.c, tenant);
    const otherSecret = await clientToken(a.c, other);
    await evaluateOnB(secret).expect(200);
    await evaluateOnB(otherSecret).expect(200);
    const [{ id }] = await a.c.db('api_tokens').where({ tenantId: tenant.id, scope: 'evaluation' }).select('id');

    await request(a.app)
      .post(`/admin/api-tokens/${id}/actions/revoke`)
      .set('Authorization', admin)
      .set('Idempotency-Key', `revoke-${id}`)
      .send({})
      .expect(200);
    const next = await evaluateOnB(secret);
    expect(next.status).toBe(401);
    expect(b.c.evaluation.clientTokens.cached(otherSecret)).toMatchObject({ ok: true, tenantId: other.id });
  });
});
