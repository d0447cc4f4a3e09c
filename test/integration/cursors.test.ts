import request from 'supertest';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { writtenState } from '../support/writes';

/**
 * Every paginated list pages with opaque, signed cursors: a genuine one pages through every
 * item exactly once, and a forged, edited or foreign one is a 400 on `query.cursor` before any
 * SQL runs, never a 500.
 */

jest.setTimeout(30_000);

let t: TestApp;
const tenants: Array<{ tenant: TestTenant; admin: string; webhookId: string }> = [];

const LISTS = [
  '/admin/feature-flags',
  '/admin/segments',
  '/admin/rollout-plans',
  '/admin/audit-events',
  '/admin/api-tokens',
  '/admin/webhooks',
  '/admin/notifications',
  'deliveries',
] as const;
type List = (typeof LISTS)[number];

const pathOf = (list: List, i: number) =>
  list === 'deliveries' ? `/admin/webhooks/${tenants[i].webhookId}/deliveries` : list;
const get = (i: number, list: List, query: Record<string, string | number>) =>
  request(t.app).get(pathOf(list, i)).query(query).set('Authorization', tenants[i].admin);

/** Two or more items in every list of a new tenant, made through the api. */
async function seed(): Promise<(typeof tenants)[number]> {
  const tenant = await createTenant(t.c);
  const admin = await bearer(t.c, tenant, 'admin');
  let n = 0;
  const post = (path: string, body: object) =>
    request(t.app)
      .post(path)
      .set('Authorization', admin)
      .set('Idempotency-Key', `seed-${n++}`)
      .send(body)
      .then((r) => {
        expect([path, r.status]).toEqual([path, expect.any(Number)]);
        if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body;
      });
  const webhook = await post('/admin/webhooks', { url: 'https://example.com/a', secret: 'a-secret-of-16-chars' });
  await post('/admin/webhooks', { url: 'https://example.com/b', secret: 'a-secret-of-16-chars' });
  const flags = [];
  for (const key of ['c.one', 'a.two', 'b.three'])
    flags.push(await post('/admin/feature-flags', { key, enabled: true }));
  for (const name of ['beta', 'alpha', 'gamma'])
    await post('/admin/segments', { name, constraints: [{ attribute: 'plan', operator: 'eq', values: [name] }] });
  for (const flag of flags)
    await post('/admin/rollout-plans', { flagId: flag.id, stages: [{ percent: 50, holdSeconds: 0 }] });
  await post('/admin/api-tokens', { name: 'one' });
  await post('/admin/api-tokens', { name: 'two' });
  // kill switches: notifications, and deliveries to both webhooks
  for (const flag of flags.slice(0, 2))
    await post(`/admin/feature-flags/${flag.id}/actions/disable`, { reason: 'cursor test' });
  return { tenant, admin, webhookId: webhook.id };
}

beforeAll(async () => {
  t = await createTestApp();
  tenants.push(await seed(), await seed());
});
afterAll(() => t.close());

/** Every id of the list, a page of one at a time, and the first page's cursor. */
async function pageThrough(i: number, list: List, extra: Record<string, string> = {}) {
  const ids: string[] = [];
  let cursor: string | undefined;
  let first: string | undefined;
  do {
    const res = await get(i, list, { ...extra, limit: 1, ...(cursor ? { cursor } : {}) }).expect(200);
    ids.push(...res.body.items.map((x: { id: string }) => x.id));
    cursor = res.body.nextCursor ?? undefined;
    first ??= cursor;
  } while (cursor && ids.length < 100);
  return { ids, first: first! };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** One character of `text` at `at` swapped for another base64url character. */
const edited = (text: string, at: number) => `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;

describe.each(LISTS)('the %s list', (list) => {
  const sorts = list === '/admin/feature-flags' ? ['key', '-createdAt', 'updatedAt'] : ['(default)'];

  it.each(sorts)(
    'when paged one item at a time (sort %s), then every item comes exactly once, in the order of one big page',
    async (sort) => {
      const extra: Record<string, string> = sort === '(default)' ? {} : { sort };
      const all = (await get(0, list, { ...extra, limit: 500 }).expect(200)).body.items.map(
        (x: { id: string }) => x.id,
      );
      expect(all.length).toBeGreaterThanOrEqual(2);
      const { ids } = await pageThrough(0, list, extra);
      expect(ids).toEqual(all);
    },
  );

  it('when the cursor is forged, edited or issued for another tenant or list, then 400 on query.cursor and nothing is written', async () => {
    const { first } = await pageThrough(0, list);
    const foreign = (await pageThrough(1, list)).first;
    const otherList = (
      await pageThrough(0, list === '/admin/audit-events' ? '/admin/api-tokens' : '/admin/audit-events')
    ).first;
    const mac = first.split('.')[1] ?? 'AAAAAAAAAAAAAAAAAAAAAA';
    const uuid = '0193a0a0-0000-7000-8000-000000000000';
    const forged = [
      '1',
      base64url({ v: '1', id: uuid }),
      base64url({ v: '2026-01-01T00:00:00.000Z', id: uuid }),
      `${base64url({ v: '1', id: uuid })}.${mac}`,
      `${base64url({ v: '2026-01-01T00:00:00.000Z', id: uuid })}.${mac}`,
      edited(first, 3),
      edited(first, first.length - 3),
      `${first}x`,
      `${first}.${mac}`,
      foreign,
      otherList,
    ];
    const before = await writtenState(t.c, [tenants[0].tenant.id]);
    for (const cursor of forged) {
      const res = await get(0, list, { cursor });
      expect([cursor, res.status, res.body.error?.code]).toEqual([cursor, 400, 'VALIDATION_FAILED']);
      expect(res.body.error.details).toEqual([{ path: 'query.cursor', message: expect.any(String) }]);
    }
    expect(await writtenState(t.c, [tenants[0].tenant.id])).toEqual(before);
  });
});

it("when a flags cursor of one sort order is used with another, then 400 (its value is the other order's column)", async () => {
  const { first } = await pageThrough(0, '/admin/feature-flags', { sort: 'key' });
  const res = await get(0, '/admin/feature-flags', { sort: '-createdAt', cursor: first });
  expect([res.status, res.body.error.details[0].path]).toEqual([400, 'query.cursor']);
});
