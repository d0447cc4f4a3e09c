import type { ChildProcess } from 'node:child_process';
import request from 'supertest';
import { guardJobId } from '../../modules/guards/guard-checker';
import { startWorkers, type WorkerRuntime } from '../../worker/workers';
import { FakeClock } from '../support/fake-clock';
import { recordArms } from '../support/guards';
import { act, auditActionsOf, createFlag, ROLLOUT_TEST_ENV, transitionsOf, waitFor } from '../support/rollouts';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { exited, killAll, spawnWorker } from '../support/worker-process';

/**
 * Guard checks survive crashes and lost queues: a real worker process SIGKILLed while it checks
 * many regressing plans, and restarted, leaves each plan stopped exactly once; a chain of checks
 * that ended (the plan was paused, or the queue lost its jobs) starts again.
 */

jest.setTimeout(90_000); // dozens of plans through a real worker process, killed and restarted, on 2 cores shared with other files

const GUARD = { kind: 'event_share', event: 'checkout.error', maxRelativeIncrease: 0.1, minUnitsPerArm: 200 };
const STAGES = [
  { percent: 5, holdSeconds: 3600 },
  { percent: 100, holdSeconds: 0 },
];

/** The highest check number stored for the plan's first stage (0: none yet). */
async function lastSeq(t: TestApp, planId: string): Promise<number> {
  const row = await t.c.db('plan_guard_checks').where({ planId, stage: 0 }).max({ seq: 'seq' }).first();
  return row?.seq ?? 0;
}

describe('worker crash drill', () => {
  const PLANS = 40;
  const children: ChildProcess[] = [];
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    killAll(children);
    await t.close();
  });

  const trippedOf = async (plans: string[]): Promise<number> => {
    const [{ count }] = await t.c
      .db('rollout_transitions')
      .whereIn('event', ['guard_pause', 'guard_rollback'])
      .whereIn('planId', plans)
      .count<{ count: string }[]>('* as count');
    return Number(count);
  };

  it('when the worker is SIGKILLed while it checks regressing plans and is restarted, then every plan is stopped exactly once, and no check is stored twice', async () => {
    const tenant = await createTenant(t.c, 'drill');
    const operator = await bearer(t.c, tenant, 'operator');
    const editor = await bearer(t.c, tenant, 'editor');
    const plans: Array<{ id: string; onRegression: 'pause' | 'rollback' }> = [];
    for (let i = 0; i < PLANS; i++) {
      const onRegression = i % 2 === 0 ? 'pause' : 'rollback';
      const flag = await createFlag(t, editor, `drill.${i}`);
      const { body } = await request(t.app)
        .post('/admin/rollout-plans')
        .set('Authorization', operator)
        .send({
          flagId: flag.id,
          stages: [
            { percent: 50, holdSeconds: 3600 },
            { percent: 100, holdSeconds: 0 },
          ],
          guards: [{ ...GUARD, minUnitsPerArm: 100, onRegression }],
          guardCheckSeconds: 1,
        })
        .expect(201);
      await act(t, operator, body.id, 'start').expect(200);
      plans.push({ id: body.id, onRegression });
    }
    const ids = plans.map((p) => p.id);
    // 40% of treatment units error against 5% of control ones: the first check that sees it stops the plan
    const regress = (planId: string) =>
      recordArms(
        t.c,
        { tenantId: tenant.id, planId, stage: 0, at: new Date() },
        { treatment: { units: 150, withEvent: 60 }, control: { units: 150, withEvent: 8 } },
      );
    const [early, late] = [ids.slice(0, PLANS / 2), ids.slice(PLANS / 2)];

    // every plan is checked each second (too few units yet); then half of them start to regress
    const first = await spawnWorker(t, children);
    await waitFor(async () => (await lastChecks(t, ids)) >= PLANS, 'a check of every plan', 15_000);
    await Promise.all(early.map(regress));
    await waitFor(async () => (await trippedOf(early)) >= 4, 'the first trips', 15_000);
    const firstExit = exited(first);
    first.kill('SIGKILL');
    expect(await firstExit).toBeNull();
    expect(await trippedOf(ids)).toBeLessThan(PLANS);

    await Promise.all(late.map(regress));
    const second = await spawnWorker(t, children);
    try {
      await waitFor(async () => (await trippedOf(ids)) >= PLANS, 'every plan to be stopped', 30_000);
    } finally {
      const secondExit = exited(second);
      second.kill('SIGTERM');
      expect(await secondExit).toBe(0);
    }

    for (const { id, onRegression } of plans) {
      const transitions = (await transitionsOf(t.c, id)) as Array<
        Awaited<ReturnType<typeof transitionsOf>>[number] & { evidence: unknown }
      >;
      const event = onRegression === 'pause' ? 'guard_pause' : 'guard_rollback';
      expect(transitions.map((x) => [x.event, x.toStatus])).toEqual([
        ['start', 'running'],
        [event, onRegression === 'pause' ? 'paused' : 'aborted'],
      ]);
      expect(await auditActionsOf(t.c, id)).toEqual([
        'rollout_plan.created',
        'rollout_plan.started',
        'rollout_plan.guard_tripped',
      ]);
      const inbox = await t.c.db('notifications').whereRaw(`payload->>'planId' = ?`, [id]).orderBy('createdAt');
      expect(inbox.map((n) => n.event)).toEqual(['plan.started', 'plan.guard_tripped']);
      // checks 1..n, each stored once (the guard and the sample ratio), the last one the trip
      const checks: Array<{ seq: number; guard: number; evidence: unknown }> = await t.c
        .db('plan_guard_checks')
        .where({ planId: id })
        .orderBy(['seq', 'guard']);
      const n = checks[checks.length - 1].seq;
      expect(checks.map((c) => [c.seq, c.guard])).toEqual(
        Array.from({ length: n }, (_, i) => [
          [i + 1, -1],
          [i + 1, 0],
        ]).flat(),
      );
      expect(transitions[1].jobId).toBe(guardJobId(id, 0, n));
      expect(transitions[1].evidence).toMatchObject({ guard: 0, verdict: 'regression' });
      expect(transitions[1].evidence).toEqual(checks[checks.length - 1].evidence);
    }
  });
});

/** Plans of `ids` with at least one stored check. */
async function lastChecks(t: TestApp, ids: string[]): Promise<number> {
  const [{ count }] = await t.c
    .db('plan_guard_checks')
    .whereIn('planId', ids)
    .countDistinct<{ count: string }[]>('planId as count');
  return Number(count);
}

describe('a lost chain of checks', () => {
  const clock = new FakeClock();
  let t: TestApp;
  let tenant: TestTenant;
  let operator: string;
  let editor: string;
  let workers: WorkerRuntime | undefined;

  beforeAll(async () => {
    t = await createTestApp({ clock, env: ROLLOUT_TEST_ENV });
    tenant = await createTenant(t.c, 'chain');
    operator = await bearer(t.c, tenant, 'operator');
    editor = await bearer(t.c, tenant, 'editor');
  });
  afterEach(async () => {
    await workers?.close();
    workers = undefined;
  });
  afterAll(() => t.close());

  let flags = 0;
  async function guardedPlan(): Promise<string> {
    flags += 1;
    const flag = await createFlag(t, editor, `chain.f${flags}`);
    const { body } = await request(t.app)
      .post('/admin/rollout-plans')
      .set('Authorization', operator)
      .send({ flagId: flag.id, stages: STAGES, guards: [GUARD], guardCheckSeconds: 1 })
      .expect(201);
    await act(t, operator, body.id, 'start').expect(200);
    return body.id;
  }

  const checkedPast = (planId: string, seq: number, what: string) =>
    waitFor(async () => (await lastSeq(t, planId)) > seq, what, 8000);

  /** The job of the check after the last stored one has run and found the plan no longer watched. */
  const chainEnded = (planId: string) =>
    waitFor(
      async () => {
        const job = await t.c.queues.byKey.guards.getJob(guardJobId(planId, 0, (await lastSeq(t, planId)) + 1));
        return job?.returnvalue?.code === 'NOT_WATCHED';
      },
      'the chain to end',
      8000,
    );

  it('when a plan is paused and resumed, then its checks go on', async () => {
    workers = startWorkers(t.c);
    const plan = await guardedPlan();
    await checkedPast(plan, 0, 'a first check');
    await act(t, operator, plan, 'pause').expect(200);
    await chainEnded(plan);
    const before = await lastSeq(t, plan);
    await act(t, operator, plan, 'resume').expect(200);
    await checkedPast(plan, before, 'a check after the resume');
    await act(t, operator, plan, 'abort').expect(200);
  });

  it('when all rollouts are paused, then a due check waits without being stored, and goes on once they resume', async () => {
    const platform = await t.c.repos.tenants.upsert({ slug: `ops-chain-${flags}`, name: 'Ops', kind: 'platform' });
    const admin = await bearer(t.c, { id: platform.id, slug: platform.slug }, 'admin');
    const rollouts = (verb: string) =>
      request(t.app)
        .post(`/admin/settings/actions/${verb}`)
        .set('Authorization', admin)
        .set('Idempotency-Key', `${verb}-${flags}`)
        .send({ reason: 'drill' })
        .expect(200);
    workers = startWorkers(t.c);
    const plan = await guardedPlan();
    await checkedPast(plan, 0, 'a first check');
    await rollouts('pause-rollouts');
    try {
      const held = (await lastSeq(t, plan)) + 1;
      const pausedAt = Date.now();
      // the next check's job has run (at least once) while the rollouts were paused, storing nothing
      await waitFor(
        async () => ((await t.c.queues.byKey.guards.getJob(guardJobId(plan, 0, held)))?.processedOn ?? 0) > pausedAt,
        'the held check to run',
        8000,
      );
      expect(await lastSeq(t, plan)).toBe(held - 1);
      expect(
        await t.c.guardChecker.check({ tenantId: tenant.id, planId: plan, stage: 0, seq: held }, 'manual'),
      ).toEqual({
        outcome: 'deferred',
        code: 'HELD',
        retryInMs: 1000,
      });
    } finally {
      await rollouts('resume-rollouts');
    }
    await checkedPast(plan, (await lastSeq(t, plan)) + 1, 'checks after the resume');
    await act(t, operator, plan, 'abort').expect(200);
  });

  it("when the guard queue loses its jobs, then the reconciler starts the plan's checks again after three intervals", async () => {
    const plan = await guardedPlan();
    const queue = t.c.queues.byKey.guards;
    expect(await queue.getJobState(guardJobId(plan, 0, 1))).toBe('delayed');
    await queue.obliterate({ force: true });
    expect(await queue.getJobState(guardJobId(plan, 0, 1))).toBe('unknown');

    // the plan has had no check for three intervals (3 s) only after the second reconcile
    clock.advance(2000);
    await t.c.rolloutRunner.reconcile();
    expect(await queue.getJobState(guardJobId(plan, 0, 1))).toBe('unknown');
    clock.advance(2000);
    expect((await t.c.rolloutRunner.reconcile()).guardChecks).toBeGreaterThanOrEqual(1);
    expect(await queue.getJobState(guardJobId(plan, 0, 1))).toBe('delayed');
    // and again, while that job waits: still one job
    await t.c.rolloutRunner.reconcile();
    const queued = await queue.getJobs(['delayed', 'waiting']);
    expect(queued.filter((j) => j.data.planId === plan).map((j) => j.id)).toEqual([guardJobId(plan, 0, 1)]);

    workers = startWorkers(t.c);
    await checkedPast(plan, 1, 'the restarted chain to check twice');
    await act(t, operator, plan, 'abort').expect(200);
  });
});
