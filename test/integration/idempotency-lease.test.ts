import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ConflictError } from '../../core/errors';
import { requestFingerprint } from '../../modules/idempotency/fingerprint';
import { FakeClock } from '../support/fake-clock';
import {
  auditCount,
  bearer,
  createTenant,
  createTestApp,
  uniqueSuffix,
  type TestApp,
  type TestTenant,
} from '../support/test-app';

/**
 * A claim on an Idempotency-Key is a lease (5 s): a request whose process was killed mid-write
 * leaves its claim behind, and the client's retry with the same key must not wait long for it,
 * yet never make the write happen twice.
 */
let t: TestApp;
let tenant: TestTenant;
let auth: string;
let credential: string;
const clock = new FakeClock();

beforeAll(async () => {
  t = await createTestApp({ clock });
  tenant = await createTenant(t.c);
  auth = await bearer(t.c, tenant, 'editor');
  const token = await t.c.db('api_tokens').where({ tenantId: tenant.id }).first();
  credential = `token:${token.id}`;
});
afterAll(() => t.close());

const createBody = () => ({ key: `lease.${uniqueSuffix()}`, enabled: false });
const post = (key: string, body: object) =>
  request(t.app).post('/admin/feature-flags').set('Authorization', auth).set('Idempotency-Key', key).send(body);

/** What a request that was killed after claiming its key leaves behind. */
async function abandonedClaim(key: string, body: object): Promise<string> {
  const start = await t.c.idempotency.begin(
    { tenantId: tenant.id, credential, key },
    requestFingerprint('POST', '/admin/feature-flags', body),
  );
  if (start.kind !== 'proceed') throw new Error('expected a fresh claim');
  return start.recordId;
}

it('when the request holding a key died, then a retry gets 409 while its lease runs and commits once after it lapsed', async () => {
  const key = `k-${uniqueSuffix()}`;
  const body = createBody();
  await abandonedClaim(key, body);
  const audits = await auditCount(t.c, tenant.id);

  await post(key, body).expect(409);
  clock.advance(4_000);
  await post(key, body).expect(409);

  clock.advance(2_000);
  const created = await post(key, body).expect(201);
  const replay = await post(key, body).expect(201);
  expect(replay.headers['idempotent-replayed']).toBe('true');
  expect(replay.text).toBe(created.text);
  expect(await t.c.db('feature_flags').where({ tenantId: tenant.id, key: body.key }).count('* as n')).toEqual([
    { n: '1' },
  ]);
  expect(await auditCount(t.c, tenant.id)).toBe(audits + 1);
});

it('when a claim was taken over by a retry, then the old holder cannot complete it: its write rolls back', async () => {
  const key = `k-${uniqueSuffix()}`;
  const body = createBody();
  const old = await abandonedClaim(key, body);
  clock.advance(6_000);
  await post(key, body).expect(201);

  const flagsBefore = await t.c.db('feature_flags').where({ tenantId: tenant.id }).count('* as n');
  await expect(
    t.c.db.transaction(async (trx) => {
      await trx('feature_flags').insert({
        id: randomUUID(),
        tenantId: tenant.id,
        key: `late.${uniqueSuffix()}`,
        enabled: false,
      });
      await t.c.idempotency.complete(trx, old, { status: 201, headers: {}, text: '{}' });
    }),
  ).rejects.toBeInstanceOf(ConflictError);
  expect(await t.c.db('feature_flags').where({ tenantId: tenant.id }).count('* as n')).toEqual(flagsBefore);
});

it('when a running request renews its claim, then a retry does not take it over', async () => {
  const key = `k-${uniqueSuffix()}`;
  const body = createBody();
  const held = await abandonedClaim(key, body);
  clock.advance(4_000);
  await t.c.idempotency.renew(held);
  clock.advance(4_000);
  await post(key, body).expect(409);
});
