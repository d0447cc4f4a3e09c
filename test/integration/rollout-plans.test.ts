import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import {
  act,
  auditActionsOf,
  createFlag,
  evaluatedShare,
  planRow,
  ROLLOUT_TEST_ENV,
  STAGES_5_25_100,
  startPlan,
  transitionsOf,
  waitFor,
} from '../support/rollouts';
import { auditCount, bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { startWorkers, type WorkerRuntime } from '../../worker/workers';

const clock = new FakeClock();
let t: TestApp;
let workers: WorkerRuntime;
let tenant: TestTenant;
let operator: string;
let otherOperator: string;
let viewer: string;
let editor: string;

beforeAll(async () => {
  t = await createTestApp({ clock, env: ROLLOUT_TEST_ENV });
  workers = startWorkers(t.c);
  tenant = await createTenant(t.c);
  operator = await bearer(t.c, tenant, 'operator');
  otherOperator = await bearer(t.c, tenant, 'operator');
  viewer = await bearer(t.c, tenant, 'viewer');
  editor = await bearer(t.c, tenant, 'editor');
});
afterAll(async () => {
  await workers.close();
  await t.close();
});

const get = (id: string) => request(t.app).get(`/admin/rollout-plans/${id}`).set('Authorization', viewer).expect(200);

/** Moves the clock past the plan's due time and lets the reconciler hand the (delayed) job to the worker. */
async function elapse(planId: string, seconds: number, expectedTransitions: number) {
  clock.advance(seconds * 1000);
  await t.c.rolloutRunner.reconcile();
  await waitFor(
    async () => (await transitionsOf(t.c, planId)).length >= expectedTransitions,
    `${expectedTransitions} transitions`,
  );
}

describe('rollout plans API', () => {
  it('when an operator creates a plan, then it is a draft with Location, ETag and one audit event', async () => {
    const flag = await createFlag(t, editor, 'api.create');
    const before = await auditCount(t.c, tenant.id);
    const res = await request(t.app)
      .post('/admin/rollout-plans')
      .set('Authorization', operator)
      .send({ flagId: flag.id, stages: STAGES_5_25_100, rollbackPercent: 1, stickiness: 'tenantId' })
      .expect(201);
    expect(res.headers.location).toBe(`/admin/rollout-plans/${res.body.id}`);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({
      status: 'draft',
      flagKey: 'api.create',
      currentStage: -1,
      currentPercent: null,
      rollbackPercent: 1,
      stickiness: 'tenantId',
      version: 1,
    });
    expect(res.body.stages[0]).toEqual({ percent: 5, holdSeconds: 30, requiresApproval: false });
    expect(await auditCount(t.c, tenant.id)).toBe(before + 1);
  });

  it('when stages are invalid, then 400 names the offending stage and nothing is written', async () => {
    const flag = await createFlag(t, editor, 'api.invalid');
    const before = await auditCount(t.c, tenant.id);
    const res = await request(t.app)
      .post('/admin/rollout-plans')
      .set('Authorization', operator)
      .send({
        flagId: flag.id,
        stages: [
          { percent: 10, holdSeconds: 5 },
          { percent: 10, holdSeconds: -1 },
        ],
      })
      .expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([
      { path: 'stages[1].percent', message: 'must be greater than stages[0].percent (10)' },
      { path: 'stages[1].holdSeconds', message: 'must be a whole number of seconds from 0 to 2592000' },
    ]);
    await request(t.app)
      .post('/admin/rollout-plans')
      .set('Authorization', operator)
      .send({ flagId: flag.id, stages: [{ percent: 'x' }] })
      .expect(400);
    await request(t.app)
      .post('/admin/rollout-plans')
      .set('Authorization', operator)
      .send({ flagId: flag.id, stages: STAGES_5_25_100, colour: 1 })
      .expect(400);
    expect(await auditCount(t.c, tenant.id)).toBe(before);
  });

  it('when a viewer or editor writes, then 403; another tenant’s plan or flag is 404', async () => {
    const flag = await createFlag(t, editor, 'api.roles');
    await request(t.app)
      .post('/admin/rollout-plans')
      .set('Authorization', editor)
      .send({ flagId: flag.id, stages: STAGES_5_25_100 })
      .expect(403);
    const { body: plan } = await request(t.app)
      .post('/admin/rollout-plans')
      .set('Authorization', operator)
      .send({ flagId: flag.id, stages: STAGES_5_25_100 })
      .expect(201);
    await act(t, viewer, plan.id, 'start').expect(403);
    const other = await createTenant(t.c);
    const otherOperatorToken = await bearer(t.c, other, 'operator');
    await request(t.app).get(`/admin/rollout-plans/${plan.id}`).set('Authorization', otherOperatorToken).expect(404);
    await act(t, otherOperatorToken, plan.id, 'start').expect(404);
    await request(t.app)
      .post('/admin/rollout-plans')
      .set('Authorization', otherOperatorToken)
      .send({ flagId: flag.id, stages: STAGES_5_25_100 })
      .expect(404);
    await request(t.app).get('/admin/rollout-plans/not-a-uuid').set('Authorization', viewer).expect(404);
  });

  it('when an action is invalid in the current state, then 409 with currentState; an action needs an Idempotency-Key and replays', async () => {
    const flag = await createFlag(t, editor, 'api.actions');
    const { body: plan } = await request(t.app)
      .post('/admin/rollout-plans')
      .set('Authorization', operator)
      .send({ flagId: flag.id, stages: STAGES_5_25_100 })
      .expect(201);
    const conflict = await act(t, operator, plan.id, 'resume').expect(409);
    expect(conflict.body.error).toMatchObject({ code: 'CONFLICT', details: [{ currentState: 'draft' }] });
    await request(t.app)
      .post(`/admin/rollout-plans/${plan.id}/actions/start`)
      .set('Authorization', operator)
      .send({})
      .expect(400);

    const first = await request(t.app)
      .post(`/admin/rollout-plans/${plan.id}/actions/start`)
      .set('Authorization', operator)
      .set('Idempotency-Key', 'start-once')
      .send({})
      .expect(200);
    const before = await auditCount(t.c, tenant.id);
    const replay = await request(t.app)
      .post(`/admin/rollout-plans/${plan.id}/actions/start`)
      .set('Authorization', operator)
      .set('Idempotency-Key', 'start-once')
      .send({})
      .expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(await auditCount(t.c, tenant.id)).toBe(before);
    expect(first.body).toMatchObject({ status: 'running', currentStage: 0, currentPercent: 5 });

    const patch = await request(t.app)
      .patch(`/admin/rollout-plans/${plan.id}`)
      .set('Authorization', operator)
      .send({ rollbackPercent: 0 })
      .expect(409);
    expect(patch.body.error.details[0].currentState).toBe('running');
    const stale = await act(t, operator, plan.id, 'pause').set('If-Match', '"1"').expect(412);
    expect(stale.body.error.code).toBe('PRECONDITION_FAILED');
    await act(t, operator, plan.id, 'abort').expect(200);
  });

  it('when a draft is edited with PATCH, then it changes with If-Match; a second active plan for the flag cannot start', async () => {
    const flag = await createFlag(t, editor, 'api.patch');
    const { body: plan } = await request(t.app)
      .post('/admin/rollout-plans')
      .set('Authorization', operator)
      .send({ flagId: flag.id, stages: STAGES_5_25_100 })
      .expect(201);
    const res = await request(t.app)
      .patch(`/admin/rollout-plans/${plan.id}`)
      .set('Authorization', operator)
      .set('If-Match', '"1"')
      .send({
        stages: [
          { percent: 1, holdSeconds: 10 },
          { percent: 100, holdSeconds: 0 },
        ],
      })
      .expect(200);
    expect(res.body).toMatchObject({ version: 2, stages: [{ percent: 1 }, { percent: 100 }] });
    await request(t.app)
      .patch(`/admin/rollout-plans/${plan.id}`)
      .set('Authorization', operator)
      .set('If-Match', '"1"')
      .send({ rollbackPercent: 0 })
      .expect(412);
    await request(t.app)
      .patch(`/admin/rollout-plans/${plan.id}`)
      .set('Authorization', operator)
      .send({ rollbackPercent: 1 })
      .expect(400);

    const { body: second } = await request(t.app)
      .post('/admin/rollout-plans')
      .set('Authorization', operator)
      .send({ flagId: flag.id, stages: STAGES_5_25_100 })
      .expect(201);
    await act(t, operator, plan.id, 'start').expect(200);
    const res2 = await act(t, operator, second.id, 'start').expect(409);
    expect(res2.body.error.message).toMatch(/already has an active rollout plan/);
    await act(t, operator, plan.id, 'abort').expect(200);
  });

  it('lists plans by status and flag with a cursor, and serves the templates', async () => {
    const flag = await createFlag(t, editor, 'api.list');
    for (let i = 0; i < 3; i++)
      await request(t.app)
        .post('/admin/rollout-plans')
        .set('Authorization', operator)
        .send({ flagId: flag.id, stages: STAGES_5_25_100 })
        .expect(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.app)
        .get('/admin/rollout-plans')
        .query({ flagId: flag.id, status: 'draft', limit: 2, ...(cursor ? { cursor } : {}) })
        .set('Authorization', viewer)
        .expect(200);
      seen.push(...res.body.items.map((p: { id: string }) => p.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(3);
    await request(t.app).get('/admin/rollout-plans?status=bogus').set('Authorization', viewer).expect(400);
    const templates = await request(t.app).get('/admin/rollout-templates').set('Authorization', viewer).expect(200);
    expect(templates.body.items.map((x: { id: string }) => x.id)).toEqual(
      expect.arrayContaining(['5-25-100', '1-10-50-100']),
    );
  });
});

describe('a plan driven by the worker', () => {
  it('when a plan runs 5% → 25% → 100%, then each step is one transition and one audit event, and the evaluated share follows the stages', async () => {
    const flag = await createFlag(t, editor, 'run.full');
    expect(await evaluatedShare(t.c, tenant.id, flag.id)).toBe(100);
    const plan = await startPlan(t, operator, flag.id);
    const started = await get(plan.id);
    expect(started.body).toMatchObject({
      status: 'running',
      currentStage: 0,
      job: { id: `advance-${plan.id}-1`, state: 'delayed' },
    });
    expect(started.body.nextDueAt).toBe(new Date(clock.now().getTime() + 30_000).toISOString());
    expect(Math.abs((await evaluatedShare(t.c, tenant.id, flag.id)) - 5)).toBeLessThan(2);

    await elapse(plan.id, 30, 2);
    expect((await planRow(t.c, plan.id)).currentStage).toBe(1);
    expect(Math.abs((await evaluatedShare(t.c, tenant.id, flag.id)) - 25)).toBeLessThan(3);

    await elapse(plan.id, 30, 3);
    const done = await get(plan.id);
    expect(done.body).toMatchObject({
      status: 'completed',
      currentStage: 2,
      currentPercent: 100,
      nextDueAt: null,
      job: null,
    });
    expect(await evaluatedShare(t.c, tenant.id, flag.id)).toBe(100);

    const transitions = await transitionsOf(t.c, plan.id);
    expect(transitions.map((x) => [x.seq, x.event, x.toStatus, x.toPercent])).toEqual([
      [1, 'start', 'running', 5],
      [2, 'due', 'running', 25],
      [3, 'due', 'completed', 100],
    ]);
    expect(transitions[1].jobId).toBe(`advance-${plan.id}-1`);
    expect(done.body.transitions[2]).toMatchObject({
      actor: { type: 'system' },
      jobId: `advance-${plan.id}-2`,
      attempt: 1,
    });
    expect(await auditActionsOf(t.c, plan.id)).toEqual([
      'rollout_plan.created',
      'rollout_plan.started',
      'rollout_plan.advanced',
      'rollout_plan.completed',
    ]);
    const audit = await t.c.db('audit_log').where({ resourceId: plan.id, action: 'rollout_plan.completed' }).first();
    expect(audit).toMatchObject({ actorType: 'system', jobId: `advance-${plan.id}-2` });
    const rules = await t.c.repos.rules.list(t.c.db, tenant.id, flag.id);
    expect(rules).toEqual([{ kind: 'percent', percent: 100, stickiness: 'targetingKey' }]);
  });

  it('when a stage requires approval, then the plan waits; its author cannot approve, a second operator can', async () => {
    const flag = await createFlag(t, editor, 'run.approval');
    const stages = [
      { percent: 10, holdSeconds: 10, requiresApproval: true },
      { percent: 100, holdSeconds: 0 },
    ];
    const plan = await startPlan(t, operator, flag.id, stages);
    await elapse(plan.id, 10, 2);
    const waiting = await get(plan.id);
    expect(waiting.body).toMatchObject({ status: 'awaiting_approval', currentPercent: 10 });
    const self = await act(t, operator, plan.id, 'approve').expect(403);
    expect(self.body.error.code).toBe('FORBIDDEN');
    const approved = await act(t, otherOperator, plan.id, 'approve').expect(200);
    expect(approved.body).toMatchObject({ status: 'completed', currentPercent: 100, approvedBy: { type: 'token' } });
    const inbox = await request(t.app).get('/admin/notifications').set('Authorization', viewer).expect(200);
    expect(inbox.body.items.map((n: { event: string }) => n.event)).toEqual(
      expect.arrayContaining(['plan.awaiting_approval', 'plan.completed']),
    );
  });

  it('when the operator advances, rolls back, pauses and resumes, then the percent follows and the worker resumes from the right stage', async () => {
    const flag = await createFlag(t, editor, 'run.manual');
    const plan = await startPlan(t, operator, flag.id);
    expect((await act(t, operator, plan.id, 'advance').expect(200)).body).toMatchObject({
      status: 'running',
      currentPercent: 25,
    });
    expect((await act(t, operator, plan.id, 'rollback').expect(200)).body).toMatchObject({
      status: 'paused',
      pauseReason: 'ROLLED_BACK',
      currentPercent: 5,
    });
    await act(t, operator, plan.id, 'pause').expect(409);
    const resumed = await act(t, operator, plan.id, 'resume').expect(200);
    expect(resumed.body).toMatchObject({
      status: 'running',
      currentStage: 0,
      nextAdvanceAt: new Date(clock.now().getTime() + 30_000).toISOString(),
    });
    await elapse(plan.id, 30, 5);
    expect((await get(plan.id)).body).toMatchObject({ status: 'running', currentStage: 1, currentPercent: 25 });
    const aborted = await act(t, operator, plan.id, 'abort', { reason: 'errors rising' }).expect(200);
    expect(aborted.body).toMatchObject({ status: 'aborted', currentPercent: 0 });
    expect(await t.c.repos.rules.list(t.c.db, tenant.id, flag.id)).toEqual([
      { kind: 'percent', percent: 0, stickiness: 'targetingKey' },
    ]);
    expect(await evaluatedShare(t.c, tenant.id, flag.id)).toBe(0);
  });

  it('when a plan is rolled back and resumed, then the worker takes every later step again, on time', async () => {
    const flag = await createFlag(t, editor, 'run.rollback-resume');
    const plan = await startPlan(t, operator, flag.id);
    await elapse(plan.id, 30, 2);
    await act(t, operator, plan.id, 'rollback').expect(200);
    await act(t, operator, plan.id, 'resume').expect(200);
    await elapse(plan.id, 30, 5);
    await elapse(plan.id, 30, 6);
    expect((await transitionsOf(t.c, plan.id)).map((x) => [x.event, x.toStage])).toEqual([
      ['start', 0],
      ['due', 1],
      ['rollback', 0],
      ['resume', 0],
      ['due', 1],
      ['due', 2],
    ]);
    expect((await get(plan.id)).body).toMatchObject({ status: 'completed', currentPercent: 100 });
  });

  it('when a start time is in the future, then the plan is scheduled and the worker starts it when due', async () => {
    const flag = await createFlag(t, editor, 'run.scheduled');
    const startAt = new Date(clock.now().getTime() + 3600_000).toISOString();
    const plan = await startPlan(t, operator, flag.id, STAGES_5_25_100, { startAt });
    expect((await get(plan.id)).body).toMatchObject({
      status: 'scheduled',
      nextDueAt: startAt,
      job: { id: `advance-${plan.id}-0` },
    });
    expect(await t.c.repos.rules.list(t.c.db, tenant.id, flag.id)).toEqual([]);
    await elapse(plan.id, 3600, 2);
    expect((await get(plan.id)).body).toMatchObject({ status: 'running', currentPercent: 5 });
    await act(t, operator, plan.id, 'abort').expect(200);
  });
});

describe('the kill switch and "pause all rollouts"', () => {
  it('when the flag is disabled, then its running plan is paused (KILL_SWITCH) in the same write, and cannot resume until re-enabled', async () => {
    const flag = await createFlag(t, editor, 'kill.switch');
    const plan = await startPlan(t, operator, flag.id);
    await request(t.app)
      .post(`/admin/feature-flags/${flag.id}/actions/disable`)
      .set('Authorization', editor)
      .set('Idempotency-Key', `kill-${plan.id}`)
      .send({ reason: 'incident' })
      .expect(200);
    expect((await get(plan.id)).body).toMatchObject({ status: 'paused', pauseReason: 'KILL_SWITCH' });
    const transitions = await transitionsOf(t.c, plan.id);
    expect(transitions[transitions.length - 1]).toMatchObject({ event: 'kill_switch', toStatus: 'paused' });

    clock.advance(60_000);
    await t.c.rolloutRunner.reconcile();
    expect(await transitionsOf(t.c, plan.id)).toHaveLength(2);
    const refused = await act(t, operator, plan.id, 'resume').expect(409);
    expect(refused.body.error.message).toMatch(/switched off/);
    await request(t.app)
      .post(`/admin/feature-flags/${flag.id}/actions/enable`)
      .set('Authorization', editor)
      .set('Idempotency-Key', `on-${plan.id}`)
      .send({})
      .expect(200);
    await act(t, operator, plan.id, 'resume').expect(200);
    const inbox = await request(t.app).get('/admin/notifications?unread=true').set('Authorization', viewer).expect(200);
    expect(inbox.body.items.map((n: { event: string }) => n.event)).toEqual(
      expect.arrayContaining(['flag.kill_switch', 'plan.paused']),
    );
    await act(t, operator, plan.id, 'abort').expect(200);
  });

  it('when an admin pauses all rollouts, then due plans hold and moving actions are 503, until resumed', async () => {
    const flag = await createFlag(t, editor, 'pause.all');
    const plan = await startPlan(t, operator, flag.id);
    const platform = await t.c.repos.tenants.upsert({
      slug: `ops-${plan.id.slice(-8)}`,
      name: 'Ops',
      kind: 'platform',
    });
    const platformAdmin = await bearer(t.c, { id: platform.id, slug: platform.slug }, 'admin');
    const merchantAdmin = await bearer(t.c, tenant, 'admin');
    const pause = (auth: string, verb: string) =>
      request(t.app)
        .post(`/admin/settings/actions/${verb}`)
        .set('Authorization', auth)
        .set('Idempotency-Key', `${verb}-${plan.id}-${auth.slice(-6)}`)
        .send({ reason: 'drill' });
    await pause(merchantAdmin, 'pause-rollouts').expect(403);
    const before = await auditCount(t.c, platform.id);
    const paused = await pause(platformAdmin, 'pause-rollouts').expect(200);
    expect(paused.body.rolloutsPaused).toMatchObject({ on: true, reason: 'drill' });
    expect(await auditCount(t.c, platform.id)).toBe(before + 1);
    try {
      clock.advance(30_000);
      expect(await t.c.rolloutRunner.reconcile()).toMatchObject({ held: true });
      expect(
        await t.c.rolloutRunner.advance(
          { tenantId: tenant.id, planId: plan.id, flagId: flag.id, stage: 1 },
          'manual',
          1,
        ),
      ).toEqual({ outcome: 'held' });
      expect((await get(plan.id)).body).toMatchObject({ status: 'running', currentStage: 0, heldByPauseAll: true });
      const refused = await act(t, operator, plan.id, 'advance').expect(503);
      expect(refused.body.error.details[0].switch).toBe('rollouts_paused');
      await act(t, operator, plan.id, 'pause').expect(200);
      await act(t, operator, plan.id, 'resume').expect(503);
    } finally {
      await pause(platformAdmin, 'resume-rollouts').expect(200);
    }
    await act(t, operator, plan.id, 'resume').expect(200);
    await elapse(plan.id, 30, 4);
    expect((await get(plan.id)).body).toMatchObject({ currentStage: 1, heldByPauseAll: false });
    await act(t, operator, plan.id, 'abort').expect(200);
  });
});
