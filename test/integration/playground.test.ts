import request from 'supertest';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';

let t: TestApp;
let tenant: TestTenant;
let editor: string;
let viewer: string;

beforeAll(async () => {
  t = await createTestApp();
  tenant = await createTenant(t.c);
  editor = await bearer(t.c, tenant, 'editor');
  viewer = await bearer(t.c, tenant, 'viewer');
  const { body: seg } = await request(t.app)
    .post('/admin/segments')
    .set('Authorization', editor)
    .send({
      name: 'Enterprise EU',
      constraints: [
        { attribute: 'country', operator: 'in', values: ['DE', 'FR'] },
        { attribute: 'plan', operator: 'eq', values: ['enterprise'] },
      ],
    })
    .expect(201);
  const { body: flag } = await request(t.app)
    .post('/admin/feature-flags')
    .set('Authorization', editor)
    .send({ key: 'rollout-flag', enabled: true })
    .expect(201);
  await request(t.app)
    .put(`/admin/feature-flags/${flag.id}/rules`)
    .set('Authorization', editor)
    .send({
      rules: [
        { kind: 'segment', segmentId: seg.id },
        { kind: 'percent', percent: 25 },
        { kind: 'tenant', tenantIds: ['acme'] },
      ],
    })
    .expect(200);
  await request(t.app)
    .post('/admin/feature-flags')
    .set('Authorization', editor)
    .send({ key: 'plain', enabled: false })
    .expect(201);
});
afterAll(() => t.close());

const playground = (body: object, auth = viewer) =>
  request(t.app).post('/admin/evaluations').set('Authorization', auth).send(body);

describe('evaluation playground', () => {
  it('when a viewer asks why a context sees a flag, then the matching rule, the bucket and each constraint are explained', async () => {
    const res = await playground({
      context: { targetingKey: '3', country: 'DE', plan: 'free' },
      flagKey: 'rollout-flag',
    }).expect(200);
    expect(res.body.items).toHaveLength(1);
    const [item] = res.body.items;
    expect(item).toMatchObject({
      key: 'rollout-flag',
      enabled: true,
      version: 2,
      value: true,
      reason: 'SPLIT',
      variant: 'on',
      ruleIndex: 1,
    });
    expect(item.rules[0]).toMatchObject({
      index: 0,
      outcome: 'no_match',
      rule: { kind: 'segment' },
      segment: {
        name: 'Enterprise EU',
        matched: false,
        constraints: [
          { attribute: 'country', actual: 'DE', holds: true },
          { attribute: 'plan', actual: 'free', holds: false },
        ],
      },
    });
    expect(item.rules[1]).toMatchObject({
      index: 1,
      outcome: 'match',
      bucket: 314,
      threshold: 2500,
      stickiness: 'targetingKey',
    });
    expect(item.rules[2]).toEqual({
      index: 2,
      rule: { kind: 'tenant', tenantIds: ['acme'] },
      outcome: 'not_evaluated',
    });
  });

  it('when no flag is named, then every flag is evaluated; a disabled one is off with no rule evaluated', async () => {
    const res = await playground({ context: { targetingKey: '499' } }).expect(200);
    expect(res.body.items.map((i: { key: string; reason: string }) => [i.key, i.reason])).toEqual([
      ['plain', 'DISABLED'],
      ['rollout-flag', 'SPLIT'],
    ]);
    expect(res.body.items[1]).toMatchObject({ value: false, ruleIndex: null });
  });

  it('when the flag is unknown or the body is bad, then 404 or 400; it works while admin writes are switched off', async () => {
    await playground({ context: {}, flagKey: 'nope' }).expect(404);
    await playground({ context: { nested: { a: 1 } } }).expect(400);
    await playground({}).expect(400);
    const other = await createTenant(t.c);
    const res = await playground({ context: {} }, await bearer(t.c, other, 'viewer')).expect(200);
    expect(res.body.items).toEqual([]);
    const admin = await bearer(t.c, tenant, 'admin');
    await request(t.app)
      .post('/admin/settings/actions/disable-writes')
      .set('Authorization', admin)
      .set('Idempotency-Key', 'pg-off')
      .send({})
      .expect(200);
    await playground({ context: { targetingKey: 'x' } }).expect(200);
    await request(t.app)
      .post('/admin/settings/actions/enable-writes')
      .set('Authorization', admin)
      .set('Idempotency-Key', 'pg-on')
      .send({})
      .expect(200);
  });
});
