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

const create = (key: string, extra: object = {}) =>
  request(t.app)
    .post('/admin/feature-flags')
    .set('Authorization', editor)
    .send({ key, ...extra });
const act = (id: string, verb: string, key: string, body: object = {}) =>
  request(t.app)
    .post(`/admin/feature-flags/${id}/actions/${verb}`)
    .set('Authorization', editor)
    .set('Idempotency-Key', key)
    .send(body);

describe('feature flags', () => {
  it('when an editor creates a flag, then it is answered 201 with Location and ETag and audited once', async () => {
    const before = await auditCount(t.c, tenant.id);
    const res = await create('checkout.new', { description: 'New checkout', tags: ['checkout'] }).expect(201);
    expect(res.headers.location).toBe(`/admin/feature-flags/${res.body.id}`);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({ key: 'checkout.new', enabled: false, tags: ['checkout'], version: 1 });
    expect(await auditCount(t.c, tenant.id)).toBe(before + 1);
    const detail = await request(t.app)
      .get(`/admin/feature-flags/${res.body.id}`)
      .set('Authorization', viewer)
      .expect(200);
    expect(detail.body.recentAuditEvents).toHaveLength(1);
    expect(detail.body.recentAuditEvents[0]).toMatchObject({
      action: 'feature_flag.created',
      before: null,
      after: { key: 'checkout.new' },
    });
  });

  it('when the key is taken, then 409 and nothing is written', async () => {
    await create('dup.key').expect(201);
    const before = await auditCount(t.c, tenant.id);
    const res = await create('dup.key').expect(409);
    expect(res.body.error.code).toBe('CONFLICT');
    expect(await auditCount(t.c, tenant.id)).toBe(before);
  });

  it('when a flag is disabled then enabled, then each is one audit event with before and after; repeating is a no-op', async () => {
    const { body: flag } = await create('toggle.me', { enabled: true }).expect(201);
    const before = await auditCount(t.c, tenant.id);
    const off = await act(flag.id, 'disable', 'd1', { reason: 'incident 42' }).expect(200);
    expect(off.body).toMatchObject({ enabled: false, version: 2 });
    await act(flag.id, 'disable', 'd2').expect(200);
    const on = await act(flag.id, 'enable', 'e1').expect(200);
    expect(on.body).toMatchObject({ enabled: true, version: 3 });
    expect(await auditCount(t.c, tenant.id)).toBe(before + 2);
    const { body } = await request(t.app).get(`/admin/feature-flags/${flag.id}`).set('Authorization', viewer);
    const [enabled, disabled] = body.recentAuditEvents;
    expect(enabled).toMatchObject({
      action: 'feature_flag.enabled',
      before: { enabled: false },
      after: { enabled: true },
    });
    expect(disabled).toMatchObject({
      action: 'feature_flag.disabled',
      before: { enabled: true },
      after: { enabled: false },
      reason: 'incident 42',
      idempotencyKey: 'd1',
    });
  });

  it('when PATCH carries a stale If-Match, then 412 and nothing changes', async () => {
    const { body: flag } = await create('patch.me').expect(201);
    await request(t.app)
      .patch(`/admin/feature-flags/${flag.id}`)
      .set('Authorization', editor)
      .set('If-Match', '"1"')
      .send({ description: 'v2' })
      .expect(200);
    const res = await request(t.app)
      .patch(`/admin/feature-flags/${flag.id}`)
      .set('Authorization', editor)
      .set('If-Match', '"1"')
      .send({ description: 'v3' })
      .expect(412);
    expect(res.body.error.code).toBe('PRECONDITION_FAILED');
    const { body } = await request(t.app).get(`/admin/feature-flags/${flag.id}`).set('Authorization', viewer);
    expect(body).toMatchObject({ description: 'v2', version: 2 });
  });

  it('when a flag is archived, then it leaves the list, cannot be enabled, and shows under archived=true', async () => {
    const { body: flag } = await create('archive.me', { enabled: true }).expect(201);
    await act(flag.id, 'archive', 'a1').expect(200);
    const list = await request(t.app).get('/admin/feature-flags?q=archive.me').set('Authorization', viewer).expect(200);
    expect(list.body.items).toHaveLength(0);
    const archived = await request(t.app)
      .get('/admin/feature-flags?q=archive.me&archived=true')
      .set('Authorization', viewer)
      .expect(200);
    expect(archived.body.items[0]).toMatchObject({ key: 'archive.me', enabled: false });
    const res = await act(flag.id, 'enable', 'a2').expect(409);
    expect(res.body.error.details[0].currentState).toBe('archived');
  });

  it('when listing with filters and a small limit, then pages are stable and complete', async () => {
    const other = await createTenant(t.c);
    const token = await bearer(t.c, other, 'editor');
    for (const [key, enabled, tags] of [
      ['pay.a', true, ['payments']],
      ['pay.b', false, ['payments']],
      ['pay.c', true, ['payments', 'beta']],
      ['search.x', true, []],
      ['search.y', false, []],
    ] as const) {
      await request(t.app)
        .post('/admin/feature-flags')
        .set('Authorization', token)
        .send({ key, enabled, tags, description: `about ${key}` })
        .expect(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.app)
        .get('/admin/feature-flags')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set('Authorization', token)
        .expect(200);
      seen.push(...res.body.items.map((f: { key: string }) => f.key));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['pay.a', 'pay.b', 'pay.c', 'search.x', 'search.y']);
    const on = await request(t.app)
      .get('/admin/feature-flags?enabled=true&tag=payments')
      .set('Authorization', token)
      .expect(200);
    expect(on.body.items.map((f: { key: string }) => f.key)).toEqual(['pay.a', 'pay.c']);
    const q = await request(t.app).get('/admin/feature-flags?q=about%20search').set('Authorization', token).expect(200);
    expect(q.body.items.map((f: { key: string }) => f.key)).toEqual(['search.x', 'search.y']);
    const desc = await request(t.app)
      .get('/admin/feature-flags?sort=-key&limit=1')
      .set('Authorization', token)
      .expect(200);
    expect(desc.body.items[0].key).toBe('search.y');
    await request(t.app).get('/admin/feature-flags?colour=red').set('Authorization', token).expect(400);
    await request(t.app).get('/admin/feature-flags?cursor=bogus').set('Authorization', token).expect(400);
  });

  it('when bulk-disabling, then each id is answered and each changed flag gets one audit event', async () => {
    const a = (await create('bulk.a', { enabled: true })).body;
    const b = (await create('bulk.b', { enabled: false })).body;
    const before = await auditCount(t.c, tenant.id);
    const res = await request(t.app)
      .post('/admin/feature-flags/actions/disable')
      .set('Authorization', editor)
      .set('Idempotency-Key', 'bulk-1')
      .send({ ids: [a.id, b.id, '00000000-0000-7000-8000-000000000000', 'not-a-uuid'] })
      .expect(200);
    expect(res.body.items.map((i: { status: number }) => i.status)).toEqual([200, 200, 404, 404]);
    expect(await auditCount(t.c, tenant.id)).toBe(before + 1);
  });
});

describe('polling', () => {
  it('when a list is read again with its ETag, then 304 until something changes', async () => {
    const first = await request(t.app).get('/admin/feature-flags?q=poll').set('Authorization', viewer).expect(200);
    await request(t.app)
      .get('/admin/feature-flags?q=poll')
      .set('Authorization', viewer)
      .set('If-None-Match', first.headers.etag)
      .expect(304);
    await create('poll.me').expect(201);
    const changed = await request(t.app)
      .get('/admin/feature-flags?q=poll')
      .set('Authorization', viewer)
      .set('If-None-Match', first.headers.etag)
      .expect(200);
    expect(changed.body.items.map((f: { key: string }) => f.key)).toEqual(['poll.me']);
  });

  it('when a flag is read with its version ETag, then 304; after a change, the new version', async () => {
    const { body: flag } = await create('poll.single').expect(201);
    await request(t.app)
      .get(`/admin/feature-flags/${flag.id}`)
      .set('Authorization', viewer)
      .set('If-None-Match', '"1"')
      .expect(304);
    await act(flag.id, 'enable', 'poll-1').expect(200);
    const res = await request(t.app)
      .get(`/admin/feature-flags/${flag.id}`)
      .set('Authorization', viewer)
      .set('If-None-Match', '"1"')
      .expect(200);
    expect(res.headers.etag).toBe('"2"');
  });
});
