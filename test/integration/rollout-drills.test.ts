import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { act, createFlag, planRow, ROLLOUT_TEST_ENV, startPlan, transitionsOf, waitFor } from '../support/rollouts';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { advanceJobId } from '../../modules/rollout-plans/advance-scheduler';
import { failNextAdvances, installAdvanceFaults, removeAdvanceFaults } from '../support/advance-faults';
import { startWorkers, type WorkerRuntime } from '../../worker/workers';

jest.setTimeout(20_000);

const clock = new FakeClock();
let t: TestApp;
let workers: WorkerRuntime;
let tenant: TestTenant;
let operator: string;
let editor: string;
let viewer: string;

const STAGES = [
  { percent: 10, holdSeconds: 60 },
  { percent: 50, holdSeconds: 60 },
  { percent: 100, holdSeconds: 0 },
];

beforeAll(async () => {
  t = await createTestApp({ clock, env: ROLLOUT_TEST_ENV });
  await installAdvanceFaults(t.c.db, 'injected failure for the drill');
  workers = startWorkers(t.c);
  tenant = await createTenant(t.c);
  operator = await bearer(t.c, tenant, 'operator');
  editor = await bearer(t.c, tenant, 'editor');
  viewer = await bearer(t.c, tenant, 'viewer');
});
afterAll(async () => {
  await workers.close();
  await removeAdvanceFaults(t.c.db);
  await t.close();
});

const dueEvents = async (planId: string) => (await transitionsOf(t.c, planId)).filter((x) => x.event === 'due');

describe('rollout drills', () => {
  it('when the same advance is delivered twice, concurrently, or late, then one transition', async () => {
    const flag = await createFlag(t, editor, 'drill.duplicate');
    const plan = await startPlan(t, operator, flag.id, STAGES);
    clock.advance(60_000);
    const data = { tenantId: tenant.id, planId: plan.id, flagId: flag.id, stage: 1 };
    const results = await Promise.all([1, 2, 3, 4].map((i) => t.c.rolloutRunner.advance(data, `dup-${i}`, 1)));
    expect(results.filter((r) => r.outcome === 'advanced')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'skipped')).toHaveLength(3);
    expect(await t.c.rolloutRunner.advance(data, 'late', 1)).toEqual({ outcome: 'skipped', code: 'STATE_CHANGED' });

    const queue = t.c.queues.byKey.advances;
    await Promise.all(
      ['again-a', 'again-b', advanceJobId(plan.id, 1)].map((jobId) => queue.add('advance-plan', data, { jobId })),
    );
    await waitFor(async () => (await queue.getJobCounts('completed')).completed >= 2, 'the duplicate jobs to finish');
    expect(await dueEvents(plan.id)).toHaveLength(1);
    expect((await planRow(t.c, plan.id)).currentStage).toBe(1);
    await act(t, operator, plan.id, 'abort').expect(200);
  });

  it('when two workers (two processes’ worth of connections) consume the same queue, then each step is taken once', async () => {
    const second = await createTestApp({ clock, env: { ...ROLLOUT_TEST_ENV, REDIS_PREFIX: t.config.redisPrefix } });
    const secondWorkers = startWorkers(second.c);
    try {
      const plans: Array<{ id: string; flagId: string }> = [];
      for (let i = 0; i < 8; i++)
        plans.push(await startPlan(t, operator, (await createFlag(t, editor, `drill.two-workers.${i}`)).id, STAGES));
      for (let step = 2; step <= 3; step++) {
        clock.advance(60_000);
        await Promise.all([t.c.rolloutRunner.reconcile(), second.c.rolloutRunner.reconcile()]);
        for (const p of plans) {
          const stage = step - 1;
          await second.c.queues.add(
            'advance-plan',
            { tenantId: tenant.id, planId: p.id, flagId: p.flagId, stage },
            { jobId: `extra-${p.id}-${stage}` },
          );
        }
        await waitFor(async () => {
          const counts = await Promise.all(plans.map(async (p) => (await transitionsOf(t.c, p.id)).length));
          return counts.every((n) => n >= step);
        }, `step ${step} of every plan`);
      }
      for (const p of plans) {
        const transitions = await transitionsOf(t.c, p.id);
        expect(transitions.map((x) => [x.seq, x.event, x.toStatus])).toEqual([
          [1, 'start', 'running'],
          [2, 'due', 'running'],
          [3, 'due', 'completed'],
        ]);
      }
    } finally {
      await secondWorkers.close();
      await second.close();
    }
  });

  it('when a step’s transaction fails, then it is retried with backoff and the failure reason is kept on the plan', async () => {
    const flag = await createFlag(t, editor, 'drill.retry');
    const plan = await startPlan(t, operator, flag.id, STAGES);
    await failNextAdvances(t.c.db, plan.id, 2);
    clock.advance(60_000);
    await t.c.rolloutRunner.reconcile();
    await waitFor(async () => (await dueEvents(plan.id)).length === 1, 'the third attempt to succeed');
    const row = await planRow(t.c, plan.id);
    expect(row).toMatchObject({ status: 'running', currentStage: 1, attempts: 0 });
    expect(row.lastFailure).toMatchObject({ code: 'INTERNAL', message: 'injected failure for the drill', attempt: 2 });
    const failed = await t.c
      .db('audit_log')
      .where({ resourceId: plan.id, action: 'rollout_plan.advance_failed' })
      .orderBy('createdAt');
    expect(failed.map((a: { after: { attempts: number } }) => a.after.attempts)).toEqual([1, 2]);
    expect(failed[0]).toMatchObject({ actorType: 'system', jobId: advanceJobId(plan.id, 1) });
    const [due] = await dueEvents(plan.id);
    expect(due).toMatchObject({ jobId: advanceJobId(plan.id, 1) });
    expect((due as unknown as { attempt: number }).attempt).toBe(3);
    await act(t, operator, plan.id, 'abort').expect(200);
  });

  it('when every attempt fails, then the plan is failed with its reason and a notification, and retry runs it again', async () => {
    const flag = await createFlag(t, editor, 'drill.exhausted');
    const plan = await startPlan(t, operator, flag.id, STAGES);
    await failNextAdvances(t.c.db, plan.id, 3);
    clock.advance(60_000);
    await t.c.rolloutRunner.reconcile();
    const failed = await waitFor(async () => {
      const row = await planRow(t.c, plan.id);
      return row.status === 'failed' && row;
    }, 'the plan to fail');
    expect(failed).toMatchObject({ currentStage: 0, attempts: 3, lastFailure: { code: 'INTERNAL', attempt: 3 } });
    const job = await waitFor(async () => {
      const j = await t.c.queues.byKey.advances.getJob(advanceJobId(plan.id, 1));
      return j?.finishedOn !== undefined && (await j.isFailed()) && j; // finishedOn: read after the failure, not before
    }, 'the job to be failed in the queue');
    expect(job.attemptsMade).toBe(3);
    const inbox = await request(t.app).get('/admin/notifications').set('Authorization', viewer).expect(200);
    const notice = inbox.body.items.find(
      (n: { event: string; payload: { planId: string } }) => n.event === 'plan.failed' && n.payload.planId === plan.id,
    );
    expect(notice.title).toMatch(/failed.*injected failure/);

    const retried = await act(t, operator, plan.id, 'retry').expect(200);
    expect(retried.body).toMatchObject({ status: 'running', attempts: 0 });
    await waitFor(async () => (await dueEvents(plan.id)).length === 1, 'the retried step');
    expect((await transitionsOf(t.c, plan.id)).map((x) => x.event)).toEqual(['start', 'fail', 'retry', 'due']);
    await act(t, operator, plan.id, 'abort').expect(200);
  });

  it('when a step cannot succeed (the flag was archived behind the plan’s back), then it fails at once with its code', async () => {
    const flag = await createFlag(t, editor, 'drill.archived');
    const plan = await startPlan(t, operator, flag.id, STAGES);
    await t.c.db('feature_flags').where({ id: flag.id }).update({ archivedAt: clock.now() });
    clock.advance(60_000);
    await t.c.rolloutRunner.reconcile();
    const row = await waitFor(async () => {
      const r = await planRow(t.c, plan.id);
      return r.status === 'failed' && r;
    }, 'the plan to fail');
    expect(row).toMatchObject({ attempts: 1, lastFailure: { code: 'FLAG_ARCHIVED', attempt: 1 } });
    await act(t, operator, plan.id, 'abort').expect(200);
  });

  it('when the queue store loses every job mid-plan, then the reconciler re-enqueues the steps and the plans finish', async () => {
    const plans: Array<{ id: string; flagId: string }> = [];
    // the worker enqueues a plan's next step just after it commits the last one: wipe only once all are queued
    const nextStepsQueued = (stage: number) =>
      waitFor(
        async () =>
          (await Promise.all(plans.map((p) => t.c.queues.byKey.advances.getJobState(advanceJobId(p.id, stage))))).every(
            (s) => s === 'delayed',
          ),
        `the steps to stage ${stage} in the queue`,
      );
    for (let i = 0; i < 3; i++)
      plans.push(await startPlan(t, operator, (await createFlag(t, editor, `drill.flush.${i}`)).id, STAGES));
    await nextStepsQueued(1);
    await t.c.backend.wipe();
    expect(await t.c.queues.byKey.advances.getJobCounts('delayed', 'waiting')).toEqual({ delayed: 0, waiting: 0 });
    for (let step = 2; step <= 3; step++) {
      clock.advance(60_000);
      const pass = await t.c.rolloutRunner.reconcile();
      expect(pass).toMatchObject({ due: 3, added: 3 });
      await waitFor(
        async () => (await Promise.all(plans.map((p) => transitionsOf(t.c, p.id)))).every((x) => x.length === step),
        `step ${step}`,
      );
      if (step === 2) {
        await nextStepsQueued(2);
        await t.c.backend.wipe();
      }
    }
    for (const p of plans) expect((await planRow(t.c, p.id)).status).toBe('completed');
  });
});
