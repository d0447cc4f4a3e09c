import request from 'supertest';
import { allRoutes } from '../../api/app';
import type { AnyRoute } from '../../api/http/route';
import { FakeClock } from '../support/fake-clock';
import { clientToken } from '../support/ofrep';
import { bearer, createTenant, createTestApp, signIn, type TestApp, type TestTenant } from '../support/test-app';
import { writtenState } from '../support/writes';

/**
 * Every route of the route table × every kind of credential: the status class the contract
 * promises, no data of another tenant in any answer, and nothing written by any of it.
 */

jest.setTimeout(60_000);

// at the real time: the cookie jar drops a cookie whose expiry date has passed
const clock = new FakeClock(new Date());
let t: TestApp;
let own: TestTenant;
let other: TestTenant;
const creds = {} as { admin: string; otherAdmin: string; client: string; revoked: string };
let session: { agent: ReturnType<typeof request.agent>; csrf: string };
const ids: Record<string, string> = {};
let before: Record<string, string>;

const isTenantRoute = (r: AnyRoute) => r.access !== 'public' && r.access !== 'authenticated';
const routes = () => allRoutes(t.c);

/** The path with own-tenant resources filled in, so a foreign credential addresses real rows. */
function pathOf(r: AnyRoute, own = true): string {
  const prefix = own ? Object.keys(ids).find((p) => r.path.startsWith(p)) : undefined;
  return r.path.replace(/:\w+/g, prefix ? ids[prefix] : '00000000-0000-7000-8000-000000000000');
}

function call(r: AnyRoute, auth?: string, headers: Record<string, string> = {}, path = pathOf(r)) {
  const req = request(t.app)[r.method](path);
  if (auth) req.set('Authorization', auth);
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return req;
}

/** No id or slug of the own tenant, or of its resources, in an answer given to someone else. */
function expectNothingOf(res: request.Response, where: string): void {
  const text = JSON.stringify(res.body ?? '') + (res.text ?? '');
  for (const secret of [own.id, own.slug, ...Object.values(ids)])
    expect([where, text.includes(secret)]).toEqual([where, false]);
}

function expectError(res: request.Response, where: string, status: number): void {
  expect([where, res.status, res.body?.error?.requestId !== undefined]).toEqual([where, status, true]);
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  own = await createTenant(t.c, 'own');
  other = await createTenant(t.c, 'other');
  creds.admin = await bearer(t.c, own, 'admin');
  creds.otherAdmin = await bearer(t.c, other, 'admin');
  creds.client = `Bearer ${await clientToken(t.c, own)}`;
  creds.revoked = await bearer(t.c, own, 'admin');
  let n = 0;
  const post = async (path: string, body: object) => {
    const res = await request(t.app)
      .post(path)
      .set('Authorization', creds.admin)
      .set('Idempotency-Key', `m-${n++}`)
      .send(body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const flag = await post('/admin/feature-flags', { key: 'matrix.flag', enabled: true });
  ids['/admin/feature-flags'] = flag.id;
  ids['/admin/segments'] = (
    await post('/admin/segments', { name: 'matrix', constraints: [{ attribute: 'a', operator: 'eq', values: ['b'] }] })
  ).id;
  ids['/admin/rollout-plans'] = (
    await post('/admin/rollout-plans', { flagId: flag.id, stages: [{ percent: 50, holdSeconds: 0 }] })
  ).id;
  ids['/admin/webhooks'] = (
    await post('/admin/webhooks', { url: 'https://example.com/m', secret: 'a-secret-of-16-chars' })
  ).id;
  const revoked = await post('/admin/api-tokens', { name: 'to revoke' });
  ids['/admin/api-tokens'] = revoked.token.id;
  creds.revoked = `Bearer ${revoked.secret}`;
  await post(`/admin/api-tokens/${revoked.token.id}/actions/revoke`, {});
  await post(`/admin/feature-flags/${flag.id}/actions/disable`, { reason: 'a notification' });
  ids['/admin/notifications'] = (await t.c.db('notifications').where({ tenantId: own.id }).first()).id;
  session = await signIn(t, { [own.slug]: 'admin' });
  before = await writtenState(t.c, [own.id, other.id]);
});
afterAll(() => t.close());

describe('every route × every credential', () => {
  it('when the own tenant calls with a sufficient role, then it is neither 401 nor 403', async () => {
    for (const r of routes()) {
      if (r.path === '/auth/logout') continue; // would end the session the other cases use; covered below
      // no body, no Idempotency-Key and no such id: a write stops at validation or lookup, so nothing changes
      const res =
        r.access === 'authenticated'
          ? await session.agent[r.method](pathOf(r, false)).set('X-CSRF-Token', session.csrf)
          : await call(r, creds.admin, r.access === 'public' ? {} : { 'X-Tenant-Id': own.slug }, pathOf(r, false));
      expect([r.method, r.path, [401, 403].includes(res.status)]).toEqual([r.method, r.path, false]);
      expect([r.method, r.path, res.status < 500]).toEqual([r.method, r.path, true]);
    }
  });

  it("when another tenant's valid credential names this tenant, then 404 on every tenant route and nothing of it leaks", async () => {
    for (const r of routes().filter(isTenantRoute)) {
      const res = await call(r, creds.otherAdmin, { 'X-Tenant-Id': own.slug, 'Idempotency-Key': 'x-1' }).send({});
      expectError(res, `${r.method} ${r.path}`, 404);
      expectNothingOf(res, `${r.method} ${r.path}`);
    }
  });

  it("when another tenant's credential addresses this tenant's resources by id, then 404 for reads and valid writes alike", async () => {
    const bodies: Record<string, object> = {
      'patch /admin/feature-flags/:id': { description: 'x' },
      'put /admin/feature-flags/:id/rules': { rules: [] },
      'patch /admin/segments/:id': { name: 'x' },
      'patch /admin/rollout-plans/:id': { rollbackPercent: 0 },
      'patch /admin/webhooks/:id': { enabled: false },
    };
    const byId = routes().filter((r) => isTenantRoute(r) && r.path.includes(':id'));
    expect(byId.length).toBeGreaterThan(20);
    for (const r of byId) {
      const res = await call(r, creds.otherAdmin, { 'Idempotency-Key': 'y-1', 'If-Match': '1' }).send(
        bodies[`${r.method} ${r.path}`] ?? {},
      );
      expectError(res, `${r.method} ${r.path}`, 404);
      expectNothingOf(res, `${r.method} ${r.path}`);
    }
  });

  it('when no credential is sent, then 401 on every route that is not public', async () => {
    for (const r of routes()) {
      const res = await call(r).send({});
      if (r.access === 'public') expect([r.path, res.status]).toEqual([r.path, 400]);
      else expectError(res, `${r.method} ${r.path}`, 401);
    }
  });

  it('when an evaluation (client) token calls, then 403 on every tenant and authenticated route', async () => {
    for (const r of routes().filter((x) => x.access !== 'public'))
      expectError(await call(r, creds.client).send({}), `${r.method} ${r.path}`, 403);
  });

  it('when a revoked token calls, then 401 on every route, public ones included (a bad bearer is refused at once)', async () => {
    for (const r of routes()) expectError(await call(r, creds.revoked).send({}), `${r.method} ${r.path}`, 401);
  });

  it('then none of it wrote anything', async () => {
    expect(await writtenState(t.c, [own.id, other.id])).toEqual(before);
  });

  it('when the session has expired, then every non-public route is 401, and the session route logs out while it lives', async () => {
    const { agent, csrf } = await signIn(t, { [own.slug]: 'viewer' });
    await agent.post('/auth/logout').set('X-CSRF-Token', csrf).expect(204);
    clock.advance((t.config.sessionTtlHours + 1) * 3600_000);
    for (const r of routes().filter((x) => x.access !== 'public')) {
      const res = await session.agent[r.method](pathOf(r))
        .set('X-CSRF-Token', session.csrf)
        .set('X-Tenant-Id', own.slug);
      expectError(res, `${r.method} ${r.path}`, 401);
    }
  });
});
