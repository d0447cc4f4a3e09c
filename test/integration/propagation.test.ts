import request from 'supertest';
import { bearer, createTenant, createTestApp, uniqueSuffix, type TestApp, type TestTenant } from '../support/test-app';
import type { TenantSnapshot } from '../../modules/evaluation/tenant-snapshot';
import { clientToken, listen, snapshotWhere } from '../support/ofrep';

/** Two api processes on one database and one Redis, as in production. */
let a: TestApp;
let b: TestApp;
let bServer: { url: string; close(): Promise<void> };
let tenant: TestTenant;
let editor: string;
let secret: string;

beforeAll(async () => {
  const env = { REDIS_PREFIX: `fptest-prop-${uniqueSuffix()}`, FLAGPOLE_SNAPSHOT_CHECK_SECONDS: '3600' };
  a = await createTestApp({ env });
  b = await createTestApp({ env });
  bServer = await listen(b.c);
  await b.c.evaluation.start();
  tenant = await createTenant(a.c);
  editor = await bearer(a.c, tenant, 'editor');
  secret = await clientToken(a.c, tenant);
});
afterAll(async () => {
  await bServer.close();
  await Promise.all([a.close(), b.close()]);
});

/** B's snapshot once flag `key` answers `value` for `context` there. */
const bSees = (key: string, context: Record<string, unknown>, value: boolean) =>
  snapshotWhere(b.c, tenant.id, (s: TenantSnapshot) => s.byKey.get(key)?.compiled.evaluate(context).value === value);
const hasFlag = (key: string) => snapshotWhere(b.c, tenant.id, (s) => s.byKey.has(key));

const evaluateOnB = async (key: string, context: object = { targetingKey: 'user-7', tenantId: 'acme' }) =>
  (
    await request(bServer.url)
      .post(`/ofrep/v1/evaluate/flags/${key}`)
      .set('Authorization', `Bearer ${secret}`)
      .send({ context })
      .expect(200)
  ).body;

describe('snapshot propagation between api processes', () => {
  it('when a flag is disabled through process A, then process B evaluates it off after the change signal, without a database read per evaluation', async () => {
    const { body: flag } = await request(a.app)
      .post('/admin/feature-flags')
      .set('Authorization', editor)
      .send({ key: 'prop.kill', enabled: true })
      .expect(201);
    expect(await evaluateOnB('prop.kill')).toMatchObject({ value: true, reason: 'STATIC' });

    await request(a.app)
      .post(`/admin/feature-flags/${flag.id}/actions/disable`)
      .set('Authorization', editor)
      .set('Idempotency-Key', 'prop-1')
      .send({})
      .expect(200);
    const snapshot = await bSees('prop.kill', {}, false);
    expect(snapshot.byKey.get('prop.kill')?.version).toBe(2);
    expect(await evaluateOnB('prop.kill')).toMatchObject({
      value: false,
      reason: 'DISABLED',
      metadata: { version: 2 },
    });
  });

  it('when rules and a segment change through A, then B follows each change', async () => {
    const { body: flag } = await request(a.app)
      .post('/admin/feature-flags')
      .set('Authorization', editor)
      .send({ key: 'prop.rules', enabled: true })
      .expect(201);
    const { body: seg } = await request(a.app)
      .post('/admin/segments')
      .set('Authorization', editor)
      .send({ name: 'prop-seg', constraints: [{ attribute: 'country', operator: 'in', values: ['DE'] }] })
      .expect(201);
    await hasFlag('prop.rules');
    await request(a.app)
      .put(`/admin/feature-flags/${flag.id}/rules`)
      .set('Authorization', editor)
      .send({ rules: [{ kind: 'segment', segmentId: seg.id }] })
      .expect(200);
    await bSees('prop.rules', { country: 'FR' }, false);
    expect(await evaluateOnB('prop.rules', { country: 'FR' })).toMatchObject({ value: false, reason: 'DEFAULT' });

    await request(a.app)
      .patch(`/admin/segments/${seg.id}`)
      .set('Authorization', editor)
      .send({ constraints: [{ attribute: 'country', operator: 'in', values: ['DE', 'FR'] }] })
      .expect(200);
    await bSees('prop.rules', { country: 'FR' }, true);
    expect(await evaluateOnB('prop.rules', { country: 'FR' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
  });

  it('when a change signal was missed, then the periodic version check finds the tenant and rebuilds its snapshot', async () => {
    const { body: flag } = await request(a.app)
      .post('/admin/feature-flags')
      .set('Authorization', editor)
      .send({ key: 'prop.missed', enabled: true })
      .expect(201);
    await hasFlag('prop.missed');
    expect(await evaluateOnB('prop.missed')).toMatchObject({ value: true });
    // a write that publishes no signal, as if Redis had lost it
    await a.c
      .db('feature_flags')
      .where({ id: flag.id })
      .update({ enabled: false, version: a.c.db.raw('version + 1') });
    expect(await b.c.evaluation.snapshots.checkVersions()).toEqual([tenant.id]);
    await bSees('prop.missed', {}, false);
    expect(await evaluateOnB('prop.missed')).toMatchObject({ value: false, reason: 'DISABLED' });
    expect(await b.c.evaluation.snapshots.checkVersions()).toEqual([]);
  });
});
