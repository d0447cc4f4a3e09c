import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import request from 'supertest';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { clientToken, listen, snapshotWhere } from '../support/ofrep';

let t: TestApp;
let server: { url: string; close(): Promise<void> };
let tenant: TestTenant;
let editor: string;
let secret: string;
let sdk: Client;
const flags: Record<string, string> = {};

const createFlag = async (key: string, enabled: boolean, rules: unknown[] = []) => {
  const { body } = await request(t.app)
    .post('/admin/feature-flags')
    .set('Authorization', editor)
    .send({ key, enabled })
    .expect(201);
  if (rules.length > 0)
    await request(t.app)
      .put(`/admin/feature-flags/${body.id}/rules`)
      .set('Authorization', editor)
      .send({ rules })
      .expect(200);
  flags[key] = body.id;
};

beforeAll(async () => {
  t = await createTestApp({ env: { FLAGPOLE_CORS_ORIGINS: 'https://shop.example.test' } });
  server = await listen(t.c);
  tenant = await createTenant(t.c);
  editor = await bearer(t.c, tenant, 'editor');
  secret = await clientToken(t.c, tenant);
  await createFlag('static-on', true);
  await createFlag('killed', false, [{ kind: 'tenant', tenantIds: ['acme'] }]);
  await createFlag('acme-only', true, [{ kind: 'tenant', tenantIds: ['acme'] }]);
  await createFlag('rollout-flag', true, [{ kind: 'percent', percent: 5 }]);
  await createFlag('per-merchant', true, [{ kind: 'percent', percent: 50, stickiness: 'tenantId' }]);
  await OpenFeature.setProviderAndWait(
    new OFREPProvider({ baseUrl: server.url, headers: { Authorization: `Bearer ${secret}` } }),
  );
  sdk = OpenFeature.getClient();
});
afterAll(async () => {
  await OpenFeature.close();
  await server.close();
  await t.close();
});

const ofrep = (path: string, auth = `Bearer ${secret}`) =>
  request(server.url).post(`/ofrep/v1/evaluate/flags${path}`).set('Authorization', auth);

describe('OFREP with the stock OpenFeature SDK and OFREP provider', () => {
  it('when an enabled flag has no rules, then the SDK gets true with reason STATIC and the flag version as metadata', async () => {
    const d = await sdk.getBooleanDetails('static-on', false, { targetingKey: 'user-1' });
    expect(d).toMatchObject({ value: true, reason: 'STATIC', variant: 'on', flagMetadata: { version: 1 } });
    expect(d.errorCode).toBeUndefined();
  });

  it('when a flag is disabled, then the SDK gets false with reason DISABLED even if a rule would match', async () => {
    expect(await sdk.getBooleanDetails('killed', true, { targetingKey: 'u', tenantId: 'acme' })).toMatchObject({
      value: false,
      reason: 'DISABLED',
      variant: 'off',
    });
  });

  it('when a tenant rule lists the subject tenant, then TARGETING_MATCH; another tenant gets DEFAULT', async () => {
    expect(await sdk.getBooleanDetails('acme-only', false, { targetingKey: 'u', tenantId: 'acme' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(await sdk.getBooleanDetails('acme-only', true, { targetingKey: 'u', tenantId: 'globex' })).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });
  });

  it('when a percent rule decides, then SPLIT puts users where Unleash puts them (groupId = flag key)', async () => {
    // Unleash vectors for group rollout-flag: userId 3 → 4 (in at 5%), userId 174 → 48 (out)
    expect(await sdk.getBooleanDetails('rollout-flag', false, { targetingKey: '3' })).toMatchObject({
      value: true,
      reason: 'SPLIT',
    });
    expect(await sdk.getBooleanDetails('rollout-flag', true, { targetingKey: '174' })).toMatchObject({
      value: false,
      reason: 'SPLIT',
    });
  });

  it('when the flag does not exist, then the SDK answers its default with FLAG_NOT_FOUND', async () => {
    expect(await sdk.getBooleanDetails('no-such-flag', true, { targetingKey: 'u' })).toMatchObject({
      value: true,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
    });
    const res = await ofrep('/no-such-flag').send({ context: {} }).expect(404);
    expect(res.body).toEqual({ key: 'no-such-flag', errorCode: 'FLAG_NOT_FOUND', errorDetails: expect.any(String) });
  });

  it('when the stickiness attribute is missing, then TARGETING_KEY_MISSING (or INVALID_CONTEXT for another attribute), never a 500', async () => {
    expect(await sdk.getBooleanDetails('rollout-flag', true, {})).toMatchObject({
      value: true,
      reason: 'ERROR',
      errorCode: 'TARGETING_KEY_MISSING',
    });
    expect(await sdk.getBooleanDetails('per-merchant', true, { targetingKey: 'u' })).toMatchObject({
      value: true,
      reason: 'ERROR',
      errorCode: 'INVALID_CONTEXT',
    });
    const res = await ofrep('/rollout-flag').send({ context: {} }).expect(400);
    expect(res.body).toMatchObject({ key: 'rollout-flag', errorCode: 'TARGETING_KEY_MISSING' });
  });

  it('when the token is wrong, then 401 and the SDK falls back to its default', async () => {
    await ofrep('/static-on', 'Bearer fp_not-a-real-token').send({ context: {} }).expect(401);
    await request(server.url).post('/ofrep/v1/evaluate/flags/static-on').send({ context: {} }).expect(401);
    const bad = new OFREPProvider({ baseUrl: server.url, headers: { Authorization: 'Bearer fp_wrong' } });
    await OpenFeature.setProviderAndWait('bad-token', bad);
    const d = await OpenFeature.getClient('bad-token').getBooleanDetails('static-on', false, { targetingKey: 'u' });
    expect(d).toMatchObject({ value: false, reason: 'ERROR' });
  });

  it('when an admin token is used for OFREP, then 403 (only client tokens evaluate)', async () => {
    const res = await ofrep('/static-on', editor).send({ context: {} }).expect(403);
    expect(res.body.errorDetails).toContain('client token');
  });
});

describe('OFREP bulk evaluation', () => {
  it('when all flags are evaluated, then each answers by key with an ETag, and If-None-Match gives 304 until something changes', async () => {
    const body = { context: { targetingKey: '3', tenantId: 'acme' } };
    const res = await ofrep('').send(body).expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body.flags).toEqual([
      { key: 'acme-only', value: true, reason: 'TARGETING_MATCH', variant: 'on', metadata: { version: 2 } },
      { key: 'killed', value: false, reason: 'DISABLED', variant: 'off', metadata: { version: 2 } },
      {
        key: 'per-merchant',
        value: expect.any(Boolean),
        reason: 'SPLIT',
        variant: expect.any(String),
        metadata: { version: 2 },
      },
      { key: 'rollout-flag', value: true, reason: 'SPLIT', variant: 'on', metadata: { version: 2 } },
      { key: 'static-on', value: true, reason: 'STATIC', variant: 'on', metadata: { version: 1 } },
    ]);
    const etag = res.headers.etag;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const cached = await ofrep('').set('If-None-Match', etag).send(body).expect(304);
    expect(cached.text).toBe('');
    expect(cached.headers.etag).toBe(etag);
    await ofrep('')
      .set('If-None-Match', etag)
      .send({ context: { targetingKey: '3', tenantId: 'globex' } })
      .expect(200);

    await request(t.app)
      .post(`/admin/feature-flags/${flags['static-on']}/actions/disable`)
      .set('Authorization', editor)
      .set('Idempotency-Key', 'bulk-kill')
      .send({})
      .expect(200);
    await snapshotWhere(t.c, tenant.id, (s) => s.byKey.get('static-on')?.version === 2);
    const changed = await ofrep('').set('If-None-Match', etag).send(body).expect(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.body.flags[4]).toMatchObject({ key: 'static-on', value: false, reason: 'DISABLED' });
    await request(t.app)
      .post(`/admin/feature-flags/${flags['static-on']}/actions/enable`)
      .set('Authorization', editor)
      .set('Idempotency-Key', 'bulk-revive')
      .send({})
      .expect(200);
  });

  it('when a percent rule lacks its attribute, then only that flag carries the error', async () => {
    const res = await ofrep('')
      .send({ context: { tenantId: 'globex' } })
      .expect(200);
    const byKey = Object.fromEntries(res.body.flags.map((f: { key: string }) => [f.key, f]));
    expect(byKey['rollout-flag']).toEqual({
      key: 'rollout-flag',
      errorCode: 'TARGETING_KEY_MISSING',
      errorDetails: expect.any(String),
    });
    expect(byKey['acme-only']).toMatchObject({ value: false, reason: 'DEFAULT' });
  });

  it('when the body is not JSON or the context is not an object, then 400 PARSE_ERROR or INVALID_CONTEXT', async () => {
    const bad = await ofrep('').set('Content-Type', 'application/json').send('{"context":').expect(400);
    expect(bad.body).toMatchObject({ errorCode: 'PARSE_ERROR' });
    expect(
      (
        await ofrep('')
          .send({ context: ['x'] })
          .expect(400)
      ).body,
    ).toMatchObject({ errorCode: 'INVALID_CONTEXT' });
    expect(
      (
        await ofrep('/static-on')
          .send({ context: { targetingKey: 7 } })
          .expect(400)
      ).body,
    ).toMatchObject({ key: 'static-on', errorCode: 'INVALID_CONTEXT' });
    await ofrep('')
      .set('Content-Type', 'application/json')
      .send(`{"context":{"x":"${'a'.repeat(300_000)}"}}`)
      .expect(413);
  });
});

describe('OFREP transport', () => {
  it('when a browser preflights from an allowed origin, then CORS allows POST with the SDK headers; other origins get none', async () => {
    const ok = await request(server.url)
      .options('/ofrep/v1/evaluate/flags')
      .set('Origin', 'https://shop.example.test')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,if-none-match')
      .expect(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://shop.example.test');
    expect(ok.headers['access-control-allow-headers']).toMatch(/Authorization.*If-None-Match/);
    const actual = await ofrep('')
      .set('Origin', 'https://shop.example.test')
      .send({ context: { targetingKey: 'u' } })
      .expect(200);
    expect(actual.headers['access-control-allow-origin']).toBe('https://shop.example.test');
    expect(actual.headers['access-control-expose-headers']).toContain('ETag');
    const other = await request(server.url)
      .options('/ofrep/v1/evaluate/flags')
      .set('Origin', 'https://evil.example')
      .expect(204);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('when a request id is sent, then it is echoed; otherwise one is made; OFREP requests show in /metrics', async () => {
    const res = await ofrep('/static-on').set('X-Request-Id', 'sdk-call-42').send({ context: {} }).expect(200);
    expect(res.headers['x-request-id']).toBe('sdk-call-42');
    const fresh = await ofrep('/static-on').send({ context: {} }).expect(200);
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const metrics = await request(server.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /flagpole_http_request_duration_seconds_count\{method="POST",route="\/ofrep\/v1\/evaluate\/flags\/:key",status="200"\} \d+/,
    );
  });

  it('when the method or path is wrong, then 405 or 404 in the OFREP error shape', async () => {
    const get = await request(server.url)
      .get('/ofrep/v1/evaluate/flags')
      .set('Authorization', `Bearer ${secret}`)
      .expect(405);
    expect(get.headers.allow).toBe('POST, OPTIONS');
    expect((await request(server.url).post('/ofrep/v1/nothing').expect(404)).body).toHaveProperty('errorDetails');
  });

  it('when the Express app alone serves OFREP, then it answers the same', async () => {
    const res = await request(t.app)
      .post('/ofrep/v1/evaluate/flags/static-on')
      .set('Authorization', `Bearer ${secret}`)
      .send({ context: {} })
      .expect(200);
    expect(res.body).toMatchObject({ key: 'static-on', value: true, reason: 'STATIC' });
  });

  it('when evaluations are flushed, then each flag has its count and last evaluation time for the hour', async () => {
    const other = await createTenant(t.c);
    const token = await clientToken(t.c, other);
    const otherEditor = await bearer(t.c, other, 'editor');
    const { body: flag } = await request(t.app)
      .post('/admin/feature-flags')
      .set('Authorization', otherEditor)
      .send({ key: 'counted', enabled: true })
      .expect(201);
    await t.c.evaluation.counts.flush();
    for (let i = 0; i < 3; i++) await ofrep('/counted', `Bearer ${token}`).send({ context: {} }).expect(200);
    await ofrep('', `Bearer ${token}`).send({ context: {} }).expect(200);
    expect(await t.c.evaluation.counts.flush()).toBeGreaterThanOrEqual(1);
    const rows = await t.c.db('flag_evaluation_counts').where({ featureFlagId: flag.id });
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].count)).toBe(4);
    expect(rows[0].lastEvaluatedAt).toBeInstanceOf(Date);
  });
});
