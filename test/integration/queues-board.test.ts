import request from 'supertest';
import { jobHandlers } from '../../worker/jobs';
import { startWorkers, type WorkerRuntime } from '../../worker/workers';
import { waitFor } from '../support/rollouts';
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
let platform: TestTenant;
let merchant: TestTenant;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const ops = await t.c.repos.tenants.upsert({ slug: `ops-${Date.now().toString(36)}`, name: 'Ops', kind: 'platform' });
  platform = { id: ops.id, slug: ops.slug };
  merchant = await createTenant(t.c);
  for (const role of ['viewer', 'editor', 'operator', 'admin'] as const)
    tokens[role] = await bearer(t.c, platform, role);
  tokens.merchantAdmin = await bearer(t.c, merchant, 'admin');
});
afterAll(() => t.close());

/** A job that fails at once, so there is something to retry: the cleanup handler is replaced by one that throws. */
async function failedJob(): Promise<string> {
  const runtime: WorkerRuntime = startWorkers(t.c, {
    ...jobHandlers,
    cleanup: async () => {
      throw new Error('disk full');
    },
  });
  try {
    const job = await t.c.queues.add('cleanup', {});
    await waitFor(async () => (await job.isFailed()) || undefined, 'the job to fail');
    return job.id!;
  } finally {
    await runtime.close();
  }
}

describe('bull-board at /admin/queues', () => {
  it('when nobody is signed in, then 401; a merchant’s admin gets 403; platform members see the board', async () => {
    const anonymous = await request(t.app).get('/admin/queues').expect(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    await request(t.app).get('/admin/queues').set('Authorization', tokens.merchantAdmin).expect(403);
    const page = await request(t.app).get('/admin/queues').set('Authorization', tokens.viewer).expect(200);
    expect(page.text).toContain('Flagpole jobs');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const api = await request(t.app).get('/admin/queues/api/queues').set('Authorization', tokens.viewer).expect(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual([
      'maintenance',
      'notifications',
      'rollout-advances',
      'rollout-guards',
    ]);
    expect(api.body.queues.every((q: { readOnlyMode: boolean }) => q.readOnlyMode)).toBe(true);
    const asOperator = await request(t.app)
      .get('/admin/queues/api/queues')
      .set('Authorization', tokens.operator)
      .expect(200);
    expect(asOperator.body.queues.every((q: { readOnlyMode: boolean }) => !q.readOnlyMode)).toBe(true);
  });

  it('when a viewer or editor retries, then 403; an operator retries and promotes, audited; destructive actions are refused to all', async () => {
    const jobId = await failedJob();
    const retry = `/admin/queues/api/queues/maintenance/${jobId}/retry`;
    await request(t.app).put(retry).set('Authorization', tokens.viewer).expect(403);
    await request(t.app).put(retry).set('Authorization', tokens.editor).expect(403);
    expect(await (await t.c.queues.byKey.maintenance.getJob(jobId))!.isFailed()).toBe(true);

    const before = await auditCount(t.c, platform.id);
    await request(t.app).put(retry).set('Authorization', tokens.operator).expect(204);
    expect(await t.c.queues.byKey.maintenance.getJobState(jobId)).toBe('waiting');
    const delayed = await t.c.queues.add('cleanup', {}, { delay: 3600_000 });
    await request(t.app)
      .put(`/admin/queues/api/queues/maintenance/${delayed.id}/promote`)
      .set('Authorization', tokens.operator)
      .expect(204);
    expect(await t.c.queues.byKey.maintenance.getJobState(delayed.id!)).toBe('waiting');
    expect(await auditCount(t.c, platform.id)).toBe(before + 2);
    const events = await t.c
      .db('audit_log')
      .where({ tenantId: platform.id, resourceType: 'queue' })
      .orderBy('createdAt');
    expect(events.map((e: { action: string; resourceId: string }) => [e.action, e.resourceId])).toEqual([
      ['queue.job_retried', `maintenance/${jobId}`],
      ['queue.job_promoted', `maintenance/${delayed.id}`],
    ]);

    await request(t.app)
      .put('/admin/queues/api/queues/maintenance/obliterate')
      .set('Authorization', tokens.admin)
      .send({})
      .expect(403);
    await request(t.app)
      .put('/admin/queues/api/queues/maintenance/empty')
      .set('Authorization', tokens.admin)
      .expect(403);
    await request(t.app)
      .put('/admin/queues/api/queues/rollout-advances/clean/completed')
      .set('Authorization', tokens.viewer)
      .expect(403);
    await request(t.app)
      .put('/admin/queues/api/queues/rollout-advances/clean/completed')
      .set('Authorization', tokens.operator)
      .expect(200);
  });

  it('when a write path is one bull-board routes elsewhere or does nothing for, then it is refused and not audited; real cleans are audited as what they did', async () => {
    const queueEvents = () =>
      t.c
        .db('audit_log')
        .where({ tenantId: platform.id, resourceType: 'queue' })
        .orderBy('createdAt')
        .select('action', 'resourceId');
    const before = (await queueEvents()).length;
    // bull-board takes these as "clean/retry every job in state clean/retry/…" (which does nothing), not as an action on one job
    for (const path of [
      'maintenance/clean/clean',
      'maintenance/clean/retry',
      'maintenance/retry/retry',
      'maintenance/retry/clean',
      'MAINTENANCE/CLEAN/CLEAN/',
    ]) {
      const res = await request(t.app).put(`/admin/queues/api/queues/${path}`).set('Authorization', tokens.operator);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 403, 'FORBIDDEN']);
    }
    await request(t.app)
      .post('/admin/queues/api/queues/maintenance/promote')
      .set('Authorization', tokens.operator)
      .expect(403);
    await request(t.app)
      .put('/admin/queues/api/queues/maintenance/pause')
      .set('Authorization', tokens.operator)
      .expect(403);
    expect(await queueEvents()).toHaveLength(before);

    const delayed = await t.c.queues.add('cleanup', {}, { delay: 3600_000 });
    await request(t.app)
      .put(`/admin/queues/api/queues/maintenance/${delayed.id}/clean`)
      .set('Authorization', tokens.operator)
      .expect(204);
    expect(await t.c.queues.byKey.maintenance.getJobState(delayed.id!)).toBe('unknown');
    await request(t.app)
      .put('/admin/queues/api/queues/maintenance/clean/delayed')
      .set('Authorization', tokens.operator)
      .expect(200);
    // a job that is not there: nothing was done, nothing is audited
    await request(t.app)
      .put('/admin/queues/api/queues/maintenance/no-such-job/clean')
      .set('Authorization', tokens.operator)
      .expect(404);
    expect((await queueEvents()).slice(before)).toEqual([
      { action: 'queue.job_cleaned', resourceId: `maintenance/${delayed.id}` },
      { action: 'queue.jobs_cleaned', resourceId: 'maintenance/delayed' },
    ]);
  });

  it('when an operator acts from a browser session, then the request must come from the dashboard’s own origin', async () => {
    const { agent } = await signIn(t, { [platform.slug]: 'operator' });
    const delayed = await t.c.queues.add('cleanup', {}, { delay: 3600_000 });
    const path = `/admin/queues/api/queues/maintenance/${delayed.id}/promote`;
    await agent.get('/admin/queues/api/queues').expect(200);
    await agent.put(path).expect(403);
    await agent.put(path).set('Origin', 'https://evil.example').expect(403);
    await agent.put(path).set('Host', 'flagpole.test').set('Origin', 'http://flagpole.test').expect(204);
  });
});
