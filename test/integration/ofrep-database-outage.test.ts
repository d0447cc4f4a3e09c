import { FakeClock } from '../support/fake-clock';
import { clientToken, listen } from '../support/ofrep';
import { templateDb, urlFor, withAdmin } from '../support/databases';
import { bearer, createTenant, createTestApp, uniqueSuffix, type TestApp } from '../support/test-app';
import request from 'supertest';

/**
 * Evaluations come from memory; a database restart must not turn them into 503s for SDKs whose
 * token this api process already knows, even once that token's cache entry is past its TTL.
 */
const database = `flagpole_test_outage_${uniqueSuffix()}`;
const clock = new FakeClock();
let t: TestApp;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  await withAdmin((admin) => admin.raw(`create database "${database}" template "${templateDb()}"`));
  t = await createTestApp({ clock, env: { DATABASE_URL: urlFor(database), FLAGPOLE_TOKEN_CACHE_SECONDS: '10' } });
  server = await listen(t.c);
});
afterAll(async () => {
  await setConnections(true);
  await server.close();
  await t.close();
  await withAdmin((admin) => admin.raw(`drop database if exists "${database}" with (force)`));
});

/** What a restarting PostgreSQL looks like to the api: its connections are cut and new ones refused. */
async function setConnections(allowed: boolean): Promise<void> {
  await withAdmin(async (admin) => {
    await admin.raw(`alter database "${database}" allow_connections ${allowed}`);
    if (!allowed)
      await admin.raw('select pg_terminate_backend(pid) from pg_stat_activity where datname = ?', [database]);
  });
}

const bulk = (secret: string) =>
  fetch(`${server.url}/ofrep/v1/evaluate/flags`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ context: { targetingKey: 'u-1' } }),
  });

it('when the database goes away, then a known client token keeps evaluating past its cache TTL; an unknown one gets 503', async () => {
  const tenant = await createTenant(t.c);
  const admin = await bearer(t.c, tenant, 'editor');
  await request(t.app)
    .post('/admin/feature-flags')
    .set('Authorization', admin)
    .send({ key: 'outage.flag', enabled: true })
    .expect(201);
  const secret = await clientToken(t.c, tenant);
  const other = await clientToken(t.c, tenant);
  expect((await bulk(secret)).status).toBe(200);

  await setConnections(false);
  clock.advance(11_000);
  const during = await bulk(secret);
  expect(during.status).toBe(200);
  expect((await during.json()).flags).toEqual([expect.objectContaining({ key: 'outage.flag', value: true })]);
  expect((await bulk(other)).status).toBe(503);

  await setConnections(true);
  expect((await bulk(other)).status).toBe(200);
});
