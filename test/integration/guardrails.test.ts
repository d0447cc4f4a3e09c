import request from 'supertest';
import { allRoutes } from '../../api/app';
import { roleAllows, ROLES, type Role } from '../../core/permissions';
import {
  auditCount,
  bearer,
  createTenant,
  createTestApp,
  signIn,
  type TestApp,
  type TestTenant,
} from '../support/test-app';

let t: TestApp;
let tenant: TestTenant;
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  t = await createTestApp();
  tenant = await createTenant(t.c);
  for (const role of ROLES) tokens[role] = await bearer(t.c, tenant, role);
});
afterAll(() => t.close());

const NIL = '00000000-0000-7000-8000-000000000000';
const call = (method: string, path: string) => request(t.app)[method as 'get'](path.replace(/:\w+/g, NIL));
const createFlag = (key: string, enabled = false) =>
  request(t.app)
    .post('/admin/feature-flags')
    .set('Authorization', tokens.editor)
    .send({ key, enabled })
    .expect(201)
    .then((r) => r.body);

jest.setTimeout(20_000); // the role gate walks every route × role

describe('role gate on every route', () => {
  const tenantRoutes = () => allRoutes(t.c).filter((r) => !['public', 'authenticated'].includes(r.access));

  it('when a route is called without a credential, then 401', async () => {
    for (const r of tenantRoutes()) {
      const res = await call(r.method, r.path);
      expect([r.path, res.status, res.body.error?.code]).toEqual([r.path, 401, 'UNAUTHENTICATED']);
    }
  });

  it('when the role is too low, then 403; when it suffices, then the gate lets it through; and nothing is written', async () => {
    const before = await auditCount(t.c, tenant.id);
    for (const r of tenantRoutes()) {
      for (const role of ROLES) {
        // no body and no Idempotency-Key: an allowed request stops at validation, so nothing changes
        const res = await call(r.method, r.path).set('Authorization', tokens[role]);
        if (roleAllows(role, r.access as Role))
          expect([r.method, r.path, role, res.status]).not.toEqual([r.method, r.path, role, 403]);
        else
          expect([r.method, r.path, role, res.status, res.body.error.code]).toEqual([
            r.method,
            r.path,
            role,
            403,
            'FORBIDDEN',
          ]);
        expect(res.status).not.toBe(500);
      }
    }
    expect(await auditCount(t.c, tenant.id)).toBe(before);
  });

  it('when an evaluation-only token calls /admin, then 403', async () => {
    const { secret } = await t.c.db.transaction((trx) =>
      t.c.repos.tokens.create(trx, {
        tenantId: tenant.id,
        name: 'sdk',
        scope: 'evaluation',
        role: null,
        createdBy: 'test',
        expiresAt: null,
        now: new Date(),
      }),
    );
    const res = await request(t.app).get('/admin/feature-flags').set('Authorization', `Bearer ${secret}`).expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('when a bearer token is unknown, then 401 with the contract shape and a request id', async () => {
    const res = await request(t.app).get('/admin/feature-flags').set('Authorization', 'Bearer fp_nope').expect(401);
    expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', requestId: res.headers['x-request-id'] });
  });
});

describe('tenant isolation', () => {
  it("when a tenant addresses another tenant's flag, then 404 for reads and writes, and nothing changes", async () => {
    const other = await createTenant(t.c);
    const otherEditor = await bearer(t.c, other, 'editor');
    const flag = await createFlag('isolated.flag', true);
    await request(t.app).get(`/admin/feature-flags/${flag.id}`).set('Authorization', otherEditor).expect(404);
    await request(t.app)
      .patch(`/admin/feature-flags/${flag.id}`)
      .set('Authorization', otherEditor)
      .send({ description: 'x' })
      .expect(404);
    const res = await request(t.app)
      .post(`/admin/feature-flags/${flag.id}/actions/disable`)
      .set('Authorization', otherEditor)
      .set('Idempotency-Key', 'x1')
      .send({})
      .expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    const list = await request(t.app)
      .get('/admin/feature-flags?q=isolated')
      .set('Authorization', otherEditor)
      .expect(200);
    expect(list.body.items).toEqual([]);
    const after = await request(t.app)
      .get(`/admin/feature-flags/${flag.id}`)
      .set('Authorization', tokens.viewer)
      .expect(200);
    expect(after.body).toMatchObject({ enabled: true, version: 1 });
  });

  it('when a person belongs to several tenants, then X-Tenant-Id picks one, is required, and a foreign one is 404', async () => {
    const second = await createTenant(t.c);
    const { agent } = await signIn(t, { [tenant.slug]: 'viewer', [second.slug]: 'viewer' });
    const missing = await agent.get('/admin/feature-flags').expect(400);
    expect(missing.body.error.details[0].path).toBe('X-Tenant-Id');
    await agent.get('/admin/feature-flags').set('X-Tenant-Id', second.slug).expect(200);
    const stranger = await createTenant(t.c);
    await agent.get('/admin/feature-flags').set('X-Tenant-Id', stranger.slug).expect(404);
  });
});

describe('idempotency', () => {
  const disable = (id: string, key: string | undefined, body: object = {}) => {
    const req = request(t.app).post(`/admin/feature-flags/${id}/actions/disable`).set('Authorization', tokens.editor);
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };

  it('when the key is missing on an action, then 400 naming the header', async () => {
    const flag = await createFlag('idem.missing', true);
    const res = await disable(flag.id, undefined).expect(400);
    expect(res.body.error.details[0].path).toBe('Idempotency-Key');
  });

  it('when a request is replayed, then the stored response comes back marked, and nothing runs twice', async () => {
    const flag = await createFlag('idem.replay', true);
    const before = await auditCount(t.c, tenant.id);
    const first = await disable(flag.id, 'replay-1', { reason: 'r' }).expect(200);
    await request(t.app)
      .post(`/admin/feature-flags/${flag.id}/actions/enable`)
      .set('Authorization', tokens.editor)
      .set('Idempotency-Key', 'replay-2')
      .send({})
      .expect(200);
    const again = await disable(flag.id, 'replay-1', { reason: 'r' }).expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(await auditCount(t.c, tenant.id)).toBe(before + 2);
  });

  it('when the key is reused for a different body or path, then 422 and nothing changes', async () => {
    const flag = await createFlag('idem.reuse', true);
    await disable(flag.id, 'reuse-1', { reason: 'a' }).expect(200);
    const before = await auditCount(t.c, tenant.id);
    const res = await disable(flag.id, 'reuse-1', { reason: 'b' }).expect(422);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await request(t.app)
      .post(`/admin/feature-flags/${flag.id}/actions/enable`)
      .set('Authorization', tokens.editor)
      .set('Idempotency-Key', 'reuse-1')
      .send({ reason: 'a' })
      .expect(422);
    expect(await auditCount(t.c, tenant.id)).toBe(before);
  });

  it('when 20 identical requests race, then one effect and one audit event; the others replay or see 409', async () => {
    const flag = await createFlag('idem.race', true);
    const before = await auditCount(t.c, tenant.id);
    const results = await Promise.all(Array.from({ length: 20 }, () => disable(flag.id, 'race-1', { reason: 'race' })));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of ok) expect(r.body).toEqual(ok[0].body);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'CONFLICT')).toBe(true);
    expect(await auditCount(t.c, tenant.id)).toBe(before + 1);
  });

  it('when a keyed request fails, then the key is free for a corrected retry', async () => {
    const res = await request(t.app)
      .post(`/admin/feature-flags/${NIL}/actions/disable`)
      .set('Authorization', tokens.editor)
      .set('Idempotency-Key', 'fail-1')
      .send({});
    expect(res.status).toBe(404);
    const again = await request(t.app)
      .post(`/admin/feature-flags/${NIL}/actions/disable`)
      .set('Authorization', tokens.editor)
      .set('Idempotency-Key', 'fail-1')
      .send({});
    expect(again.status).toBe(404);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });

  it('when a key is not visible ASCII or too long, then 400', async () => {
    const flag = await createFlag('idem.badkey', true);
    await disable(flag.id, 'x'.repeat(256)).expect(400);
    await disable(flag.id, 'has space').expect(400);
  });
});

describe('bad input changes nothing', () => {
  it('when bodies are malformed, then a clear 4xx in the contract shape and no write', async () => {
    const before = await auditCount(t.c, tenant.id);
    const flags = await t.c.db('feature_flags').where({ tenantId: tenant.id }).count<{ count: string }[]>('* as count');
    const post = () => request(t.app).post('/admin/feature-flags').set('Authorization', tokens.editor);
    const cases: Array<[request.Test, number, string]> = [
      [post().send({ key: 123 }), 400, 'VALIDATION_FAILED'],
      [post().send({ key: 'ok.key', enabled: 'yes' }), 400, 'VALIDATION_FAILED'],
      [post().send({ key: 'ok.key', admin: true }), 400, 'VALIDATION_FAILED'],
      [post().send({ key: 'Bad Key!' }), 400, 'VALIDATION_FAILED'],
      [post().send({ key: 'x'.repeat(129) }), 400, 'VALIDATION_FAILED'],
      [post().send({ key: 'ok.key', tags: ['a', 'a'] }), 400, 'VALIDATION_FAILED'],
      [post().send([1, 2, 3]), 400, 'VALIDATION_FAILED'],
      [post().send('null').set('Content-Type', 'application/json'), 400, 'VALIDATION_FAILED'],
      [post().set('Content-Type', 'application/json').send('{"key": '), 400, 'VALIDATION_FAILED'],
      [post().set('Content-Type', 'text/plain').send('key=x'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [post().send({ key: 'ok.key', description: 'x'.repeat(1024 * 1024) }), 413, 'PAYLOAD_TOO_LARGE'],
      [post().send({ key: 'ok.key', description: 'x'.repeat(2001) }), 400, 'VALIDATION_FAILED'],
      [
        request(t.app)
          .post('/admin/feature-flags/actions/disable')
          .set('Authorization', tokens.editor)
          .set('Idempotency-Key', 'b1')
          .send({ ids: [] }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        request(t.app)
          .post('/admin/feature-flags/actions/disable')
          .set('Authorization', tokens.editor)
          .set('Idempotency-Key', 'b2')
          .send({ ids: 'all' }),
        400,
        'VALIDATION_FAILED',
      ],
    ];
    for (const [req, status, code] of cases) {
      const res = await req;
      expect([res.status, res.body.error?.code]).toEqual([status, code]);
      expect(typeof res.body.error.message).toBe('string');
    }
    const unknown = await post().send({ key: 'ok.key', admin: true });
    expect(unknown.body.error.details).toEqual([{ path: 'admin', message: 'is not a known field' }]);
    expect(await auditCount(t.c, tenant.id)).toBe(before);
    const after = await t.c.db('feature_flags').where({ tenantId: tenant.id }).count<{ count: string }[]>('* as count');
    expect(after).toEqual(flags);
  });
});

describe('safe disable', () => {
  it('when an admin switches writes off for a tenant, then writes answer 503 and change nothing, reads work, and it can be switched back', async () => {
    const own = await createTenant(t.c);
    const admin = await bearer(t.c, own, 'admin');
    const flag = (
      await request(t.app)
        .post('/admin/feature-flags')
        .set('Authorization', admin)
        .send({ key: 'switch.me', enabled: true })
        .expect(201)
    ).body;
    await request(t.app)
      .post('/admin/settings/actions/disable-writes')
      .set('Authorization', admin)
      .set('Idempotency-Key', 's1')
      .send({ reason: 'incident' })
      .expect(200);
    const before = await auditCount(t.c, own.id);
    const res = await request(t.app)
      .post(`/admin/feature-flags/${flag.id}/actions/disable`)
      .set('Authorization', admin)
      .set('Idempotency-Key', 's2')
      .send({})
      .expect(503);
    expect(res.body.error).toMatchObject({ code: 'SERVICE_DISABLED', details: [{ switch: 'writes_disabled' }] });
    await request(t.app).post('/admin/feature-flags').set('Authorization', admin).send({ key: 'blocked' }).expect(503);
    expect(await auditCount(t.c, own.id)).toBe(before);
    const settings = await request(t.app).get('/admin/settings').set('Authorization', admin).expect(200);
    expect(settings.body.adminWrites).toMatchObject({
      config: true,
      effective: false,
      tenant: { on: false, reason: 'incident' },
    });
    await request(t.app).get(`/admin/feature-flags/${flag.id}`).set('Authorization', admin).expect(200);
    await request(t.app)
      .post('/admin/settings/actions/enable-writes')
      .set('Authorization', admin)
      .set('Idempotency-Key', 's3')
      .send({})
      .expect(200);
    await request(t.app)
      .post(`/admin/feature-flags/${flag.id}/actions/disable`)
      .set('Authorization', admin)
      .set('Idempotency-Key', 's4')
      .send({})
      .expect(200);
    // other tenants were never affected
    await request(t.app)
      .post('/admin/feature-flags')
      .set('Authorization', tokens.editor)
      .send({ key: 'unaffected' })
      .expect(201);
  });

  it('when FLAGPOLE_ADMIN_WRITES=off, then every admin write answers 503 and reads still work', async () => {
    const off = await createTestApp({ env: { FLAGPOLE_ADMIN_WRITES: 'off' } });
    try {
      const own = await createTenant(off.c);
      const admin = await bearer(off.c, own, 'admin');
      const res = await request(off.app)
        .post('/admin/feature-flags')
        .set('Authorization', admin)
        .send({ key: 'nope' })
        .expect(503);
      expect(res.body.error.details[0].switch).toBe('FLAGPOLE_ADMIN_WRITES');
      await request(off.app)
        .post('/admin/settings/actions/enable-writes')
        .set('Authorization', admin)
        .set('Idempotency-Key', 'k')
        .send({})
        .expect(503);
      await request(off.app).get('/admin/feature-flags').set('Authorization', admin).expect(200);
      expect(await auditCount(off.c, own.id)).toBe(0);
    } finally {
      await off.close();
    }
  });
});

describe('audit log', () => {
  it('when anyone tries to update or delete audit rows, then the database refuses', async () => {
    await createFlag('audit.guard');
    await expect(t.c.db('audit_log').where({ tenantId: tenant.id }).update({ action: 'forged' })).rejects.toThrow(
      /append-only/,
    );
    await expect(t.c.db('audit_log').where({ tenantId: tenant.id }).delete()).rejects.toThrow(/append-only/);
    await expect(t.c.db.raw('truncate audit_log')).rejects.toThrow(/append-only/);
  });

  it('when listing audit events with filters, then only matching events of this tenant come back, newest first, paginated', async () => {
    const flag = await createFlag('audit.list', true);
    for (const [i, verb] of ['disable', 'enable', 'disable'].entries()) {
      await request(t.app)
        .post(`/admin/feature-flags/${flag.id}/actions/${verb}`)
        .set('Authorization', tokens.editor)
        .set('Idempotency-Key', `al-${i}`)
        .send({})
        .expect(200);
    }
    const page1 = await request(t.app)
      .get(`/admin/audit-events?resourceId=${flag.id}&limit=2`)
      .set('Authorization', tokens.viewer)
      .expect(200);
    expect(page1.body.items.map((e: { action: string }) => e.action)).toEqual([
      'feature_flag.disabled',
      'feature_flag.enabled',
    ]);
    const page2 = await request(t.app)
      .get(`/admin/audit-events?resourceId=${flag.id}&limit=2&cursor=${page1.body.nextCursor}`)
      .set('Authorization', tokens.viewer)
      .expect(200);
    expect(page2.body.items.map((e: { action: string }) => e.action)).toEqual([
      'feature_flag.disabled',
      'feature_flag.created',
    ]);
    expect(page2.body.nextCursor).toBeNull();
    const byAction = await request(t.app)
      .get(`/admin/audit-events?resourceId=${flag.id}&action=feature_flag.enabled`)
      .set('Authorization', tokens.viewer)
      .expect(200);
    expect(byAction.body.items).toHaveLength(1);
    expect(byAction.body.items[0].actor).toMatchObject({ type: 'token', label: 'editor-token' });
    await request(t.app).get('/admin/audit-events?since=yesterday').set('Authorization', tokens.viewer).expect(400);
  });
});
