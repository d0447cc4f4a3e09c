import request from 'supertest';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';

let t: TestApp;
let tenant: TestTenant;
let editor: string;
let admin: string;

beforeAll(async () => {
  t = await createTestApp();
  tenant = await createTenant(t.c);
  editor = await bearer(t.c, tenant, 'editor');
  admin = await bearer(t.c, tenant, 'admin');
});
afterAll(() => t.close());

const post = (path: string, auth: string, key: string, body: object) =>
  request(t.app)
    .post(path)
    .set('Authorization', auth)
    .set('Idempotency-Key', key)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(body));

describe('idempotent replays are the same response', () => {
  it('when a flag create is replayed, then status, body bytes, ETag and Location are those of the first answer', async () => {
    // a flag view's keys (id, key, description, enabled, …) are in an order jsonb would not keep
    const body = { key: 'replay.bytes', description: 'first answer', tags: ['a', 'b'], enabled: true };
    const first = await post('/admin/feature-flags', editor, 'bytes-1', body).expect(201);
    const again = await post('/admin/feature-flags', editor, 'bytes-1', body).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(Object.keys(first.body)[0]).toBe('id');
    expect(again.text).toBe(first.text);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
  });

  it('when an action without a version in its answer is replayed, then the ETag Express derives from the bytes is the same too', async () => {
    const flags = await Promise.all(
      ['replay.bulk-a', 'replay.bulk-b'].map((key) =>
        post('/admin/feature-flags', editor, `c-${key}`, { key })
          .expect(201)
          .then((r) => r.body.id as string),
      ),
    );
    const first = await post('/admin/feature-flags/actions/enable', editor, 'bulk-1', {
      ids: flags,
      reason: 'launch',
    }).expect(200);
    const again = await post('/admin/feature-flags/actions/enable', editor, 'bulk-1', {
      ids: flags,
      reason: 'launch',
    }).expect(200);
    expect(again.text).toBe(first.text);
    expect(first.headers.etag).toBeDefined();
    expect(again.headers.etag).toBe(first.headers.etag);
  });

  it('when a response was stored before the exact bytes were kept, then its replay still answers the stored body', async () => {
    const first = await post('/admin/feature-flags', editor, 'legacy-1', { key: 'replay.legacy' }).expect(201);
    await t.c
      .db('idempotency_keys')
      .where({ tenantId: tenant.id, key: 'legacy-1' })
      .update({ responseText: null, responseBody: first.text });
    const again = await post('/admin/feature-flags', editor, 'legacy-1', { key: 'replay.legacy' }).expect(201);
    expect(again.body).toEqual(first.body);
  });

  it('when a token create is replayed, then the replay and the stored record carry no secret', async () => {
    const first = await post('/admin/api-tokens', admin, 'tok-bytes', { name: 'ci', role: 'viewer' }).expect(201);
    const again = await post('/admin/api-tokens', admin, 'tok-bytes', { name: 'ci', role: 'viewer' }).expect(201);
    expect(first.body.secret).toMatch(/^fp_/);
    expect(again.body).toEqual({ token: first.body.token, secret: null });
    const stored = await t.c.db('idempotency_keys').where({ tenantId: tenant.id, key: 'tok-bytes' }).first();
    expect(JSON.stringify(stored)).not.toContain(first.body.secret);
  });
});
