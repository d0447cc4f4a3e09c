import request from 'supertest';
import { auditCount, bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';

let t: TestApp;
let tenant: TestTenant;
let editor: string;
let viewer: string;

beforeAll(async () => {
  t = await createTestApp();
  tenant = await createTenant(t.c);
  editor = await bearer(t.c, tenant, 'editor');
  viewer = await bearer(t.c, tenant, 'viewer');
});
afterAll(() => t.close());

const constraints = [
  { attribute: 'country', operator: 'in', values: ['DE', 'FR'] },
  { attribute: 'plan', operator: 'eq', values: ['enterprise'] },
  { attribute: 'appVersion', operator: 'semver_gt', values: ['2.1.0'] },
];
const create = (name: string, body: object = {}, auth = editor) =>
  request(t.app)
    .post('/admin/segments')
    .set('Authorization', auth)
    .send({ name, constraints, ...body });
const archive = (id: string, key: string) =>
  request(t.app)
    .post(`/admin/segments/${id}/actions/archive`)
    .set('Authorization', editor)
    .set('Idempotency-Key', key)
    .send({});

describe('segments', () => {
  it('when an editor creates a segment, then 201 with Location and ETag, one audit event, and it is listed and readable', async () => {
    const before = await auditCount(t.c, tenant.id);
    const res = await create('EU enterprise', { description: 'Big customers in DE and FR' }).expect(201);
    expect(res.headers.location).toBe(`/admin/segments/${res.body.id}`);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({
      name: 'EU enterprise',
      description: 'Big customers in DE and FR',
      constraints,
      version: 1,
      archivedAt: null,
    });
    expect(await auditCount(t.c, tenant.id)).toBe(before + 1);
    const got = await request(t.app).get(`/admin/segments/${res.body.id}`).set('Authorization', viewer).expect(200);
    expect(got.body).toEqual({ ...res.body, usedBy: [] });
    const list = await request(t.app).get('/admin/segments?q=enterprise').set('Authorization', viewer).expect(200);
    expect(list.body.items.map((s: { name: string }) => s.name)).toEqual(['EU enterprise']);
  });

  it.each<[string, unknown, string]>([
    ['an unknown operator', { attribute: 'country', operator: 'like', values: ['D%'] }, 'constraints[0].operator'],
    [
      'a number operator with a word',
      { attribute: 'age', operator: 'num_gt', values: ['old'] },
      'constraints[0].values',
    ],
    ['eq with two values', { attribute: 'plan', operator: 'eq', values: ['a', 'b'] }, 'constraints[0].values'],
    ['in with no value', { attribute: 'plan', operator: 'in', values: [] }, 'constraints[0].values'],
    [
      'a semver operator with a partial version',
      { attribute: 'v', operator: 'semver_lt', values: ['2.1'] },
      'constraints[0].values',
    ],
    [
      'a date operator with a bare date',
      { attribute: 'signup', operator: 'date_after', values: ['2026-12-01'] },
      'constraints[0].values',
    ],
    ['a bad attribute name', { attribute: 'a b', operator: 'eq', values: ['x'] }, 'constraints[0].attribute'],
  ])('when a constraint has %s, then 400 names the path and nothing is written', async (_what, constraint, path) => {
    const before = await auditCount(t.c, tenant.id);
    const res = await create('bad', { constraints: [constraint] }).expect(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await auditCount(t.c, tenant.id)).toBe(before);
  });

  it('when a segment has no constraints or unknown fields, then 400', async () => {
    await create('empty', { constraints: [] }).expect(400);
    await create('extra', { colour: 'red' }).expect(400);
  });

  it('when the name is taken (ignoring case), then 409; once archived, the name is free again', async () => {
    const first = await create('Beta testers').expect(201);
    const res = await create('beta TESTERS').expect(409);
    expect(res.body.error.code).toBe('CONFLICT');
    await archive(first.body.id, 'arch-beta').expect(200);
    await create('Beta testers').expect(201);
  });

  it('when PATCH carries a stale If-Match, then 412; with the right one, the change is versioned and audited', async () => {
    const seg = (await create('Patch me').expect(201)).body;
    const ok = await request(t.app)
      .patch(`/admin/segments/${seg.id}`)
      .set('Authorization', editor)
      .set('If-Match', '"1"')
      .send({ constraints: [{ attribute: 'plan', operator: 'in', values: ['pro', 'enterprise'] }] })
      .expect(200);
    expect(ok.body).toMatchObject({
      version: 2,
      constraints: [{ attribute: 'plan', operator: 'in', values: ['pro', 'enterprise'] }],
    });
    const res = await request(t.app)
      .patch(`/admin/segments/${seg.id}`)
      .set('Authorization', editor)
      .set('If-Match', '"1"')
      .send({ description: 'late' })
      .expect(412);
    expect(res.body.error.code).toBe('PRECONDITION_FAILED');
    const [event] = (await request(t.app).get(`/admin/audit-events?resourceId=${seg.id}`).set('Authorization', viewer))
      .body.items;
    expect(event).toMatchObject({ action: 'segment.updated', before: { version: 1 }, after: { version: 2 } });
  });

  it('when a rule uses the segment, then archiving is refused with 409 in_use and changes nothing; after the rule is gone it archives', async () => {
    const seg = (await create('In use').expect(201)).body;
    const flag = (
      await request(t.app)
        .post('/admin/feature-flags')
        .set('Authorization', editor)
        .send({ key: 'uses.segment', enabled: true })
        .expect(201)
    ).body;
    await request(t.app)
      .put(`/admin/feature-flags/${flag.id}/rules`)
      .set('Authorization', editor)
      .send({ rules: [{ kind: 'percent', percent: 50, segmentId: seg.id }] })
      .expect(200);
    const detail = await request(t.app).get(`/admin/segments/${seg.id}`).set('Authorization', viewer).expect(200);
    expect(detail.body.usedBy).toEqual([{ id: flag.id, key: 'uses.segment' }]);

    const before = await auditCount(t.c, tenant.id);
    const refused = await archive(seg.id, 'arch-in-use-1').expect(409);
    expect(refused.body.error.details[0].currentState).toBe('in_use');
    expect(refused.body.error.message).toContain('uses.segment');
    expect(await auditCount(t.c, tenant.id)).toBe(before);

    await request(t.app)
      .put(`/admin/feature-flags/${flag.id}/rules`)
      .set('Authorization', editor)
      .send({ rules: [] })
      .expect(200);
    const archived = await archive(seg.id, 'arch-in-use-2').expect(200);
    expect(archived.body.archivedAt).not.toBeNull();
    await archive(seg.id, 'arch-in-use-3').expect(409);
    const res = await request(t.app)
      .put(`/admin/feature-flags/${flag.id}/rules`)
      .set('Authorization', editor)
      .send({ rules: [{ kind: 'segment', segmentId: seg.id }] })
      .expect(400);
    expect(res.body.error.details[0].path).toBe('rules[0].segmentId');
    await request(t.app)
      .patch(`/admin/segments/${seg.id}`)
      .set('Authorization', editor)
      .send({ description: 'x' })
      .expect(409);
  });

  it('when archive is called without an Idempotency-Key, then 400; replaying the key answers the same without a second audit event', async () => {
    const seg = (await create('Replay').expect(201)).body;
    await request(t.app)
      .post(`/admin/segments/${seg.id}/actions/archive`)
      .set('Authorization', editor)
      .send({})
      .expect(400);
    const first = await archive(seg.id, 'arch-replay').expect(200);
    const count = await auditCount(t.c, tenant.id);
    const again = await archive(seg.id, 'arch-replay').expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await auditCount(t.c, tenant.id)).toBe(count);
  });

  it("when a viewer writes, then 403; another tenant's segment answers 404", async () => {
    await create('Viewer', {}, viewer).expect(403);
    const seg = (await create('Private').expect(201)).body;
    const other = await createTenant(t.c);
    const otherEditor = await bearer(t.c, other, 'editor');
    await request(t.app).get(`/admin/segments/${seg.id}`).set('Authorization', otherEditor).expect(404);
    await request(t.app)
      .patch(`/admin/segments/${seg.id}`)
      .set('Authorization', otherEditor)
      .send({ description: 'mine' })
      .expect(404);
    await request(t.app)
      .post(`/admin/segments/${seg.id}/actions/archive`)
      .set('Authorization', otherEditor)
      .set('Idempotency-Key', 'x')
      .send({})
      .expect(404);
    await request(t.app).get('/admin/segments/not-a-uuid').set('Authorization', viewer).expect(404);
    const list = await request(t.app).get('/admin/segments').set('Authorization', otherEditor).expect(200);
    expect(list.body.items).toEqual([]);
  });

  it('when listing with a small limit, then pages are stable and complete', async () => {
    const other = await createTenant(t.c);
    const token = await bearer(t.c, other, 'editor');
    for (const name of ['c', 'a', 'b']) await create(name, {}, token).expect(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.app)
        .get('/admin/segments')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set('Authorization', token)
        .expect(200);
      seen.push(...res.body.items.map((s: { name: string }) => s.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['a', 'b', 'c']);
  });
});
