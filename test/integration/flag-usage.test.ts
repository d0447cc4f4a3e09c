import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';

const clock = new FakeClock('2026-11-24T10:30:00.000Z');
let t: TestApp;
let tenant: TestTenant;
let viewer: string;
let flagId: string;

beforeAll(async () => {
  t = await createTestApp({ clock });
  tenant = await createTenant(t.c);
  viewer = await bearer(t.c, tenant, 'viewer');
  const editor = await bearer(t.c, tenant, 'editor');
  flagId = (
    await request(t.app)
      .post('/admin/feature-flags')
      .set('Authorization', editor)
      .send({ key: 'usage.flag' })
      .expect(201)
  ).body.id;
});
afterAll(() => t.close());

const count = (hour: string, n: number, last: string) =>
  t.c
    .db('flag_evaluation_counts')
    .insert({ tenantId: tenant.id, featureFlagId: flagId, hour, count: n, lastEvaluatedAt: last });

describe('flag usage (the rollout preview)', () => {
  it('when a flag was never evaluated, then its usage is zero with no last evaluation', async () => {
    const res = await request(t.app)
      .get(`/admin/feature-flags/${flagId}/usage`)
      .set('Authorization', viewer)
      .expect(200);
    expect(res.body).toEqual({ flagId, windowHours: 24, evaluations: 0, lastEvaluatedAt: null });
  });

  it('when counts exist inside and outside the last 24 hours, then only those inside are summed', async () => {
    await count('2026-11-24T10:00:00.000Z', 120, '2026-11-24T10:29:00.000Z');
    await count('2026-11-23T11:00:00.000Z', 30, '2026-11-23T11:59:00.000Z');
    await count('2026-11-23T10:00:00.000Z', 1000, '2026-11-23T10:59:00.000Z');
    const res = await request(t.app)
      .get(`/admin/feature-flags/${flagId}/usage`)
      .set('Authorization', viewer)
      .expect(200);
    expect(res.body).toEqual({
      flagId,
      windowHours: 24,
      evaluations: 150,
      lastEvaluatedAt: '2026-11-24T10:29:00.000Z',
    });
  });

  it('when the flag is not in the tenant, then 404', async () => {
    const other = await createTenant(t.c);
    const outsider = await bearer(t.c, other, 'viewer');
    await request(t.app).get(`/admin/feature-flags/${flagId}/usage`).set('Authorization', outsider).expect(404);
    await request(t.app).get('/admin/feature-flags/not-a-uuid/usage').set('Authorization', viewer).expect(404);
  });
});
