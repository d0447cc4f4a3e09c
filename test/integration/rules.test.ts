import request from 'supertest';
import { auditCount, bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { clientToken } from '../support/ofrep';

let t: TestApp;
let tenant: TestTenant;
let editor: string;
let viewer: string;
let segmentId: string;
let badCount = 0;

beforeAll(async () => {
  t = await createTestApp();
  tenant = await createTenant(t.c);
  editor = await bearer(t.c, tenant, 'editor');
  viewer = await bearer(t.c, tenant, 'viewer');
  const seg = await request(t.app)
    .post('/admin/segments')
    .set('Authorization', editor)
    .send({ name: 'EU enterprise', constraints: [{ attribute: 'country', operator: 'in', values: ['DE', 'FR'] }] })
    .expect(201);
  segmentId = seg.body.id;
});
afterAll(() => t.close());

const newFlag = async (key: string, extra: object = {}) =>
  (
    await request(t.app)
      .post('/admin/feature-flags')
      .set('Authorization', editor)
      .send({ key, enabled: true, ...extra })
      .expect(201)
  ).body as { id: string; version: number };
const put = (flagId: string, rules: unknown[], auth = editor) =>
  request(t.app).put(`/admin/feature-flags/${flagId}/rules`).set('Authorization', auth).send({ rules });

describe('flag rules', () => {
  it('when an editor replaces the rules, then they are stored in order, the flag version moves and one audit event holds before and after', async () => {
    const flag = await newFlag('rules.basic');
    const before = await auditCount(t.c, tenant.id);
    const rules = [
      { kind: 'tenant', tenantIds: ['acme', 'globex'] },
      { kind: 'segment', segmentId },
      { kind: 'percent', percent: 12.5, stickiness: 'tenantId', groupId: 'checkout-2026', segmentId },
      { kind: 'percent', percent: 5 },
    ];
    const res = await put(flag.id, rules).set('If-Match', '"1"').expect(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toEqual({
      flagId: flag.id,
      flagKey: 'rules.basic',
      version: 2,
      rules: [...rules.slice(0, 3), { kind: 'percent', percent: 5, stickiness: 'targetingKey' }],
    });
    expect(await auditCount(t.c, tenant.id)).toBe(before + 1);
    const got = await request(t.app)
      .get(`/admin/feature-flags/${flag.id}/rules`)
      .set('Authorization', viewer)
      .expect(200);
    expect(got.body).toEqual(res.body);
    expect(got.headers.etag).toBe('"2"');
    const { body: detail } = await request(t.app).get(`/admin/feature-flags/${flag.id}`).set('Authorization', viewer);
    expect(detail.version).toBe(2);
    expect(detail.recentAuditEvents[0]).toMatchObject({
      action: 'feature_flag.rules_replaced',
      before: { version: 1, rules: [] },
      after: { version: 2, rules: res.body.rules },
    });
  });

  it('when the same rules are sent again, then nothing changes and nothing is audited', async () => {
    const flag = await newFlag('rules.same');
    await put(flag.id, [{ kind: 'percent', percent: 30 }]).expect(200);
    const before = await auditCount(t.c, tenant.id);
    const res = await put(flag.id, [{ kind: 'percent', percent: 30, stickiness: 'targetingKey' }]).expect(200);
    expect(res.body.version).toBe(2);
    expect(await auditCount(t.c, tenant.id)).toBe(before);
  });

  it('when If-Match is stale, then 412 and the rules stay', async () => {
    const flag = await newFlag('rules.stale');
    await put(flag.id, [{ kind: 'percent', percent: 10 }])
      .set('If-Match', '"1"')
      .expect(200);
    const res = await put(flag.id, [{ kind: 'percent', percent: 90 }])
      .set('If-Match', '"1"')
      .expect(412);
    expect(res.body.error).toMatchObject({ code: 'PRECONDITION_FAILED', details: [{ currentVersion: 2 }] });
    const { body } = await request(t.app).get(`/admin/feature-flags/${flag.id}/rules`).set('Authorization', viewer);
    expect(body.rules).toEqual([{ kind: 'percent', percent: 10, stickiness: 'targetingKey' }]);
  });

  it.each<[string, unknown, string]>([
    ['a percent off the 0.01 grid', { kind: 'percent', percent: 12.345 }, 'rules[0].percent'],
    ['a percent over 100', { kind: 'percent', percent: 100.5 }, 'rules[0].percent'],
    ['an unknown kind', { kind: 'country', values: ['DE'] }, 'rules[0].kind'],
    ['a planId (only rollout plans set it)', { kind: 'percent', percent: 5, planId: 'p1' }, 'rules[0].planId'],
    ['an empty tenant list', { kind: 'tenant', tenantIds: [] }, 'rules[0].tenantIds'],
    ['a bad stickiness attribute', { kind: 'percent', percent: 5, stickiness: 'has space' }, 'rules[0].stickiness'],
    [
      'a segment that does not exist',
      { kind: 'segment', segmentId: '00000000-0000-7000-8000-000000000000' },
      'rules[0].segmentId',
    ],
  ])('when a rule has %s, then 400 names the path and nothing is written', async (_what, rule, path) => {
    const flag = await newFlag(`rules.bad-${++badCount}`);
    const before = await auditCount(t.c, tenant.id);
    const res = await put(flag.id, [rule]).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string }) => d.path).join(' ')).toContain(path);
    expect(await auditCount(t.c, tenant.id)).toBe(before);
  });

  it('when the body is not { rules: [...] } or has more than 50 rules, then 400', async () => {
    const flag = await newFlag('rules.shape');
    await request(t.app)
      .put(`/admin/feature-flags/${flag.id}/rules`)
      .set('Authorization', editor)
      .send([{ kind: 'percent', percent: 5 }])
      .expect(400);
    await put(
      flag.id,
      Array.from({ length: 51 }, () => ({ kind: 'percent', percent: 5 })),
    ).expect(400);
  });

  it("when a rule names another tenant's segment, then 400 and the segment stays unknown", async () => {
    const other = await createTenant(t.c);
    const otherEditor = await bearer(t.c, other, 'editor');
    const seg = await request(t.app)
      .post('/admin/segments')
      .set('Authorization', otherEditor)
      .send({ name: 'theirs', constraints: [{ attribute: 'plan', operator: 'eq', values: ['pro'] }] })
      .expect(201);
    const flag = await newFlag('rules.foreign-segment');
    const res = await put(flag.id, [{ kind: 'segment', segmentId: seg.body.id }]).expect(400);
    expect(res.body.error.details).toEqual([
      { path: 'rules[0].segmentId', message: 'is not an active segment of this tenant' },
    ]);
  });

  it('when a viewer replaces rules, then 403; another tenant, an unknown or malformed id answer 404', async () => {
    const flag = await newFlag('rules.roles');
    await put(flag.id, [], viewer).expect(403);
    const other = await createTenant(t.c);
    const otherEditor = await bearer(t.c, other, 'editor');
    await put(flag.id, [], otherEditor).expect(404);
    await request(t.app).get(`/admin/feature-flags/${flag.id}/rules`).set('Authorization', otherEditor).expect(404);
    await put('00000000-0000-7000-8000-000000000000', []).expect(404);
    await put('not-a-uuid', []).expect(404);
  });

  it('when the flag is archived, then its rules cannot be replaced (409)', async () => {
    const flag = await newFlag('rules.archived');
    await request(t.app)
      .post(`/admin/feature-flags/${flag.id}/actions/archive`)
      .set('Authorization', editor)
      .set('Idempotency-Key', 'arch-rules')
      .send({})
      .expect(200);
    const res = await put(flag.id, [{ kind: 'percent', percent: 5 }]).expect(409);
    expect(res.body.error.details[0].currentState).toBe('archived');
  });

  it('when an evaluation token calls /admin, then 403', async () => {
    const secret = await clientToken(t.c, tenant);
    const res = await request(t.app).get('/admin/feature-flags').set('Authorization', `Bearer ${secret}`).expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});

describe('rules owned by rollout plans', () => {
  const planId = '0190f5d0-0000-7000-8000-00000000aaaa';

  it('when a plan sets its percent, then its rule is added last, updated in place, kept by PUT and released as an ordinary rule', async () => {
    const flag = await newFlag('rules.plan');
    const { rules: repo } = t.c.repos;
    const first = await t.c.db.transaction((trx) =>
      repo.upsertPlanRule(trx, tenant.id, flag.id, planId, { percent: 5, stickiness: 'targetingKey' }),
    );
    expect(first).toEqual({ before: null, after: 5 });
    const second = await t.c.db.transaction((trx) =>
      repo.upsertPlanRule(trx, tenant.id, flag.id, planId, { percent: 25, stickiness: 'targetingKey' }),
    );
    expect(second).toEqual({ before: 5, after: 25 });

    const res = await put(flag.id, [{ kind: 'tenant', tenantIds: ['acme'] }]).expect(200);
    expect(res.body.rules).toEqual([
      { kind: 'tenant', tenantIds: ['acme'] },
      { kind: 'percent', percent: 25, stickiness: 'targetingKey', planId },
    ]);
    expect(res.body.version).toBe(4);

    await t.c.db.transaction((trx) => repo.releasePlanRule(trx, tenant.id, flag.id, planId));
    const after = await request(t.app)
      .get(`/admin/feature-flags/${flag.id}/rules`)
      .set('Authorization', viewer)
      .expect(200);
    expect(after.body.rules[1]).toEqual({ kind: 'percent', percent: 25, stickiness: 'targetingKey' });
    expect(after.body.version).toBe(5);
  });

  it("when a plan rule targets another tenant's flag, then it is not found", async () => {
    const flag = await newFlag('rules.plan-foreign');
    const other = await createTenant(t.c);
    await expect(
      t.c.db.transaction((trx) =>
        t.c.repos.rules.upsertPlanRule(trx, other.id, flag.id, '0190f5d0-0000-7000-8000-00000000bbbb', {
          percent: 5,
          stickiness: 'targetingKey',
        }),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
