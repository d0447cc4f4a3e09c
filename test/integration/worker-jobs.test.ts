import type { Job } from 'bullmq';
import { cleanup } from '../../worker/jobs/cleanup';
import { ensureSchedules } from '../../worker/schedules';
import { FakeClock } from '../support/fake-clock';
import { createTenant, createTestApp, type TestApp } from '../support/test-app';

const clock = new FakeClock();
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

describe('worker schedules and housekeeping', () => {
  it('when the worker boots, then the reconciler and cleanup schedulers exist once; after the queue store lost them, they are installed again', async () => {
    expect(await ensureSchedules(t.c)).toEqual(['reconcile-plans', 'cleanup']);
    expect(await ensureSchedules(t.c)).toEqual([]);
    const scheduler = await t.c.queues.byKey.maintenance.getJobScheduler('reconcile-plans');
    expect(scheduler).toMatchObject({ every: t.config.rollouts.reconcileEveryMs });
    await t.c.backend.wipe();
    expect(await ensureSchedules(t.c)).toEqual(['reconcile-plans', 'cleanup']);
  });

  it('when cleanup runs, then idempotency keys older than a day, expired sessions and ended login-throttle windows are purged, newer ones kept', async () => {
    const tenant = await createTenant(t.c);
    const now = clock.now();
    const dayAgo = new Date(now.getTime() - 25 * 3600_000);
    const row = (key: string, createdAt: Date) => ({
      id: crypto.randomUUID(),
      tenantId: tenant.id,
      credential: 'token:x',
      key,
      fingerprint: 'f',
      state: 'completed',
      lockedAt: createdAt,
      createdAt,
    });
    await t.c.db('idempotency_keys').insert([row('old', dayAgo), row('new', now)]);
    const userId = crypto.randomUUID();
    await t.c
      .db('users')
      .insert({ id: userId, email: `${userId}@example.test`, name: 'Session owner', passwordHash: 'x' });
    const session = (tokenHash: string, expiresAt: Date) => ({
      id: crypto.randomUUID(),
      tokenHash,
      userId,
      csrfToken: 'c',
      expiresAt,
    });
    await t.c
      .db('sessions')
      .insert([session(`expired-${userId}`, dayAgo), session(`live-${userId}`, new Date(now.getTime() + 3600_000))]);
    const ended = `ended-${userId}`.slice(0, 64);
    const open = `open-${userId}`.slice(0, 64);
    await t.c.db('login_failures').insert([
      { key: ended, failures: 3, windowEndsAt: new Date(now.getTime() - 1000) },
      { key: open, failures: 3, windowEndsAt: new Date(now.getTime() + 60_000) },
    ]);
    const result = await cleanup({} as Job<Record<string, never>>, t.c, undefined);
    expect(result).toMatchObject({ idempotencyKeys: expect.any(Number), sessions: expect.any(Number) });
    expect((await t.c.db('sessions').where({ userId })).map((r: { tokenHash: string }) => r.tokenHash)).toEqual([
      `live-${userId}`,
    ]);
    expect(
      (await t.c.db('idempotency_keys').where({ tenantId: tenant.id })).map((r: { key: string }) => r.key),
    ).toEqual(['new']);
    expect((await t.c.db('login_failures').whereIn('key', [ended, open])).map((r: { key: string }) => r.key)).toEqual([
      open,
    ]);
  });
});
