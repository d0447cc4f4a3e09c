import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { recordArms } from '../support/guards';
import { act, auditActionsOf, createFlag, planRow, ROLLOUT_TEST_ENV, transitionsOf } from '../support/rollouts';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';

/**
 * The worker's side of guarded rollouts on the real stores, with an injected clock: checks are
 * run by calling the checker as the guard-check job does, and exposures and events are written
 * as the api records them, so every case is decided by the data alone.
 */

const clock = new FakeClock();
let t: TestApp;
let tenant: TestTenant;
let operator: string;
let editor: string;

beforeAll(async () => {
  t = await createTestApp({ clock, env: ROLLOUT_TEST_ENV });
  tenant = await createTenant(t.c);
  operator = await bearer(t.c, tenant, 'operator');
  editor = await bearer(t.c, tenant, 'editor');
});
afterAll(() => t.close());

const STAGES = [
  { percent: 5, holdSeconds: 60 },
  { percent: 25, holdSeconds: 60 },
  { percent: 100, holdSeconds: 0 },
];
const errorShare = (extra: object = {}) => ({
  kind: 'event_share',
  event: 'checkout.error',
  maxRelativeIncrease: 0.1,
  minUnitsPerArm: 200,
  ...extra,
});

let flags = 0;
async function guardedPlan(guards: object[], extra: object = {}) {
  flags += 1;
  const flag = await createFlag(t, editor, `guarded.f${flags}`);
  const res = await request(t.app)
    .post('/admin/rollout-plans')
    .set('Authorization', operator)
    .send({ flagId: flag.id, stages: STAGES, guards, guardCheckSeconds: 5, rollbackPercent: 0, ...extra })
    .expect(201);
  await act(t, operator, res.body.id, 'start').expect(200);
  return { id: res.body.id as string, flagId: flag.id };
}

/** `units` exposed units per arm; the first `withEvent` of each sent `event` once (value 1). */
const observe = (
  planId: string,
  stage: number,
  arms: Record<'treatment' | 'control', { units: number; withEvent: number }>,
  event?: string,
) => recordArms(t.c, { tenantId: tenant.id, planId, stage, at: clock.now() }, arms, event);

let jobs = 0;
function check(planId: string, stage: number, seq: number) {
  jobs += 1;
  return t.c.guardChecker.check(
    { tenantId: tenant.id, planId, stage, seq },
    `guard-${planId}-${stage}-${seq}-t${jobs}`,
  );
}

/** The due advance of stage `stage + 1`, as the advance job runs it. */
function due(plan: { id: string; flagId: string }, stage: number) {
  return t.c.rolloutRunner.advance(
    { tenantId: tenant.id, planId: plan.id, flagId: plan.flagId, stage },
    `advance-${plan.id}-${stage}`,
    1,
  );
}

const detail = async (id: string) =>
  (await request(t.app).get(`/admin/rollout-plans/${id}`).set('Authorization', operator).expect(200)).body;

describe('a regression', () => {
  it('when the treatment errors 5x as often as control, then one check rolls the plan back once, with the evidence on the transition, audit and inbox', async () => {
    const plan = await guardedPlan([errorShare({ onRegression: 'rollback' })]);
    // 5%: 500 treatment units against 9,500 control ones, 10% vs 2% of them erroring
    await observe(plan.id, 0, { treatment: { units: 500, withEvent: 50 }, control: { units: 9500, withEvent: 190 } });

    expect(await check(plan.id, 0, 1)).toMatchObject({ outcome: 'tripped', status: 'aborted' });
    expect(await planRow(t.c, plan.id)).toMatchObject({ status: 'aborted', currentStage: 0 });
    const transitions = await transitionsOf(t.c, plan.id);
    const last = transitions[transitions.length - 1] as (typeof transitions)[number] & {
      evidence: Record<string, unknown>;
      reason: string;
    };
    expect(last).toMatchObject({ event: 'guard_rollback', toStatus: 'aborted', toPercent: 0 });
    expect(last.reason).toMatch(/^Guard 1 \(event_share of checkout\.error\) regressed/);
    expect(last.evidence).toMatchObject({
      guard: 0,
      kind: 'event_share',
      subject: 'checkout.error',
      verdict: 'regression',
      arms: { treatment: { units: 500, value: 0.1 }, control: { units: 9500, value: 0.02 } },
    });
    const interval = last.evidence.interval as { lower: number; estimate: number };
    expect(interval.lower).toBeGreaterThan(0.1);
    expect(interval.estimate).toBeCloseTo(4, 5);
    expect(await auditActionsOf(t.c, plan.id)).toEqual([
      'rollout_plan.created',
      'rollout_plan.started',
      'rollout_plan.guard_tripped',
    ]);
    const inbox = await t.c
      .db('notifications')
      .where({ tenantId: tenant.id })
      .whereRaw(`payload->>'planId' = ?`, [plan.id])
      .orderBy('createdAt');
    expect(inbox.map((n) => n.event)).toEqual(['plan.started', 'plan.guard_tripped']);
    expect(inbox[1].payload.evidence).toMatchObject({ verdict: 'regression', guard: 0 });

    // the same check again, a later one, and two at once: nothing moves twice
    expect(await check(plan.id, 0, 1)).toMatchObject({ outcome: 'skipped' });
    expect(await check(plan.id, 0, 2)).toEqual({ outcome: 'skipped', code: 'NOT_WATCHED' });
    expect(await transitionsOf(t.c, plan.id)).toHaveLength(transitions.length);
  });

  it('when two workers run the same check at once, then the plan pauses once and the check is stored once', async () => {
    const plan = await guardedPlan([errorShare()]);
    await observe(plan.id, 0, { treatment: { units: 500, withEvent: 50 }, control: { units: 9500, withEvent: 190 } });
    const results = await Promise.all([check(plan.id, 0, 1), check(plan.id, 0, 1), check(plan.id, 0, 1)]);
    expect(results.filter((r) => r.outcome === 'tripped')).toHaveLength(1);
    expect(await planRow(t.c, plan.id)).toMatchObject({ status: 'paused', pauseReason: 'GUARD_REGRESSION' });
    expect((await transitionsOf(t.c, plan.id)).map((x) => x.event)).toEqual(['start', 'guard_pause']);
    expect(await t.c.db('plan_guard_checks').where({ planId: plan.id }).count('* as n').first()).toEqual({ n: '2' }); // the guard and the sample ratio
  });
});

describe('healthy, short of data, or untrustworthy', () => {
  it('when every guard is healthy at the due time, then the stage moves on; before that it waits', async () => {
    const plan = await guardedPlan([errorShare()]);
    clock.advance(61_000);
    expect(await due(plan, 1)).toEqual({ outcome: 'awaiting_guards', waitMs: 5000 });
    await observe(plan.id, 0, { treatment: { units: 500, withEvent: 10 }, control: { units: 9500, withEvent: 190 } });
    expect(await check(plan.id, 0, 1)).toEqual({ outcome: 'checked', verdicts: ['healthy', 'healthy'] });
    expect(await due(plan, 1)).toMatchObject({ outcome: 'advanced', stage: 1 });
    expect((await detail(plan.id)).guardStatus).toEqual({ guards: [null], sampleRatio: null }); // stage 1 has no checks yet
  });

  it('when too few units arrive before the longest hold, then onInsufficientData decides: pause, or advance', async () => {
    const paused = await guardedPlan([errorShare()], { maxHoldSeconds: 120 });
    const advancing = await guardedPlan([errorShare()], { maxHoldSeconds: 120, onInsufficientData: 'advance' });
    for (const plan of [paused, advancing]) {
      await observe(plan.id, 0, { treatment: { units: 50, withEvent: 1 }, control: { units: 950, withEvent: 19 } });
      expect(await check(plan.id, 0, 1)).toEqual({ outcome: 'checked', verdicts: ['insufficient_data', 'healthy'] });
    }
    clock.advance(61_000);
    expect(await due(paused, 1)).toMatchObject({ outcome: 'awaiting_guards' });
    clock.advance(60_000);
    expect(await due(paused, 1)).toMatchObject({ outcome: 'paused' });
    expect(await planRow(t.c, paused.id)).toMatchObject({ status: 'paused', pauseReason: 'INSUFFICIENT_DATA' });
    expect(await due(advancing, 1)).toMatchObject({ outcome: 'advanced', stage: 1 });
  });

  it('when the arms are far from the stage percent, then the plan pauses on a sample ratio mismatch', async () => {
    const plan = await guardedPlan([errorShare()]);
    // 5% expected treatment, 10% seen
    await observe(plan.id, 0, { treatment: { units: 1000, withEvent: 20 }, control: { units: 9000, withEvent: 180 } });
    expect(await check(plan.id, 0, 1)).toMatchObject({
      outcome: 'tripped',
      status: 'paused',
      pauseReason: 'SAMPLE_RATIO_MISMATCH',
    });
    const { guardStatus, pauseReason } = await detail(plan.id);
    expect(pauseReason).toBe('SAMPLE_RATIO_MISMATCH');
    expect(guardStatus.sampleRatio).toMatchObject({
      verdict: 'regression',
      arms: { treatment: { units: 1000 }, control: { units: 9000 } },
    });
    expect(guardStatus.sampleRatio.value).toBeLessThan(0.001);
  });

  it('when the flag is switched off, then the kill switch wins and later checks change nothing', async () => {
    const plan = await guardedPlan([errorShare()]);
    await request(t.app)
      .post(`/admin/feature-flags/${plan.flagId}/actions/disable`)
      .set('Authorization', editor)
      .set('Idempotency-Key', `kill-${plan.id}`)
      .send({})
      .expect(200);
    await observe(plan.id, 0, { treatment: { units: 500, withEvent: 50 }, control: { units: 9500, withEvent: 190 } });
    expect(await check(plan.id, 0, 1)).toEqual({ outcome: 'skipped', code: 'NOT_WATCHED' });
    expect(await planRow(t.c, plan.id)).toMatchObject({ status: 'paused', pauseReason: 'KILL_SWITCH' });
  });
});

describe('a Prometheus guard that cannot be read', () => {
  it('when Prometheus is not configured, then each check is inconclusive with the reason, and the third in a row pauses', async () => {
    const plan = await guardedPlan([
      { kind: 'prometheus', query: 'sum(rate(http_requests_errors_total[1m]))', max: 5 },
    ]);
    expect(await check(plan.id, 0, 1)).toEqual({ outcome: 'checked', verdicts: ['inconclusive'] });
    expect(await check(plan.id, 0, 2)).toEqual({ outcome: 'checked', verdicts: ['inconclusive'] });
    expect((await detail(plan.id)).guardStatus.guards[0]).toMatchObject({
      verdict: 'inconclusive',
      note: 'FLAGPOLE_PROMETHEUS_URL is not set',
    });
    expect(await check(plan.id, 0, 3)).toMatchObject({
      outcome: 'tripped',
      status: 'paused',
      pauseReason: 'GUARD_INCONCLUSIVE',
    });
  });
});

describe('guards on the API', () => {
  it('when guards are invalid, then 400 names each offending field and nothing is written', async () => {
    const flag = await createFlag(t, editor, 'guarded.invalid');
    const res = await request(t.app)
      .post('/admin/rollout-plans')
      .set('Authorization', operator)
      .send({
        flagId: flag.id,
        stages: STAGES,
        guards: [
          { kind: 'event_share', event: 'Bad Name', maxRelativeIncrease: -1 },
          { kind: 'prometheus', query: '' },
          { kind: 'nope' },
        ],
        guardCheckSeconds: 0,
        onInsufficientData: 'explode',
      })
      .expect(400);
    const paths = (res.body.error.details as Array<{ path: string }>).map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'guards[0].event',
        'guards[0].maxRelativeIncrease',
        'guards[1].query',
        'guards[2].kind',
        'guardCheckSeconds',
        'onInsufficientData',
      ]),
    );
    expect(await t.c.db('rollout_plans').where({ flagId: flag.id }).first()).toBeUndefined();
  });

  const share = { kind: 'event_share', event: 'checkout.error', maxRelativeIncrease: 0.1 };
  const badSettings: Array<[string, string, object]> = [
    [
      'a prometheus guard with min equal to max',
      'guards[0].min',
      { guards: [{ kind: 'prometheus', query: 'up', min: 5, max: 5 }] },
    ],
    [
      'a prometheus guard with min above max',
      'guards[0].min',
      { guards: [{ kind: 'prometheus', query: 'up', min: 7, max: 5 }] },
    ],
    ['a prometheus guard with neither min nor max', 'guards[0].max', { guards: [{ kind: 'prometheus', query: 'up' }] }],
    ['a prometheus bound that is text', 'guards[0].max', { guards: [{ kind: 'prometheus', query: 'up', max: '5' }] }],
    [
      'a tolerance past 10 (1,000%)',
      'guards[0].maxRelativeIncrease',
      { guards: [{ ...share, maxRelativeIncrease: 11 }] },
    ],
    ['minUnitsPerArm under 20', 'guards[0].minUnitsPerArm', { guards: [{ ...share, minUnitsPerArm: 19 }] }],
    ['minUnitsPerArm not whole', 'guards[0].minUnitsPerArm', { guards: [{ ...share, minUnitsPerArm: 200.5 }] }],
    ['an unknown direction', 'guards[0].direction', { guards: [{ ...share, direction: 'sideways' }] }],
    ['an unknown onRegression', 'guards[0].onRegression', { guards: [{ ...share, onRegression: 'explode' }] }],
    ['an unknown guard field', 'guards[0].alpha', { guards: [{ ...share, alpha: 0.01 }] }],
    ['a guard that is null', 'guards[0]', { guards: [null] }],
    ['guards that are not a list', 'guards', { guards: 'all' }],
    ['eleven guards', 'guards', { guards: Array.from({ length: 11 }, () => share) }],
    ['maxHoldSeconds below 0', 'maxHoldSeconds', { maxHoldSeconds: -1 }],
    ['maxHoldSeconds past 90 days', 'maxHoldSeconds', { maxHoldSeconds: 90 * 24 * 3600 + 1 }],
    ['maxHoldSeconds not whole', 'maxHoldSeconds', { maxHoldSeconds: 1.5 }],
    ['maxHoldSeconds as text', 'maxHoldSeconds', { maxHoldSeconds: '60' }],
    ['guardCheckSeconds past an hour', 'guardCheckSeconds', { guardCheckSeconds: 3601 }],
    ['an unknown onInsufficientData', 'onInsufficientData', { onInsufficientData: 'wait' }],
  ];

  it.each(badSettings)(
    'when a draft is edited with %s, then 400 names %s and the plan is unchanged',
    async (_what, path, body) => {
      const flag = await createFlag(t, editor, `guarded.bad-edit-${++flags}`);
      const created = await request(t.app)
        .post('/admin/rollout-plans')
        .set('Authorization', operator)
        .send({ flagId: flag.id, stages: STAGES, guards: [errorShare()] })
        .expect(201);
      const res = await request(t.app)
        .patch(`/admin/rollout-plans/${created.body.id}`)
        .set('Authorization', operator)
        .set('If-Match', '"1"')
        .send(body)
        .expect(400);
      expect(res.body.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ path, message: expect.any(String) }],
      });
      expect(res.body.error.details).toHaveLength(1);
      expect(await detail(created.body.id)).toMatchObject({ version: 1, guards: [errorShare()], maxHoldSeconds: null });
      // the same on create: nothing is written
      await request(t.app)
        .post('/admin/rollout-plans')
        .set('Authorization', operator)
        .send({ flagId: flag.id, stages: STAGES, ...body })
        .expect(400);
      expect(await t.c.db('rollout_plans').where({ flagId: flag.id }).count('* as n').first()).toEqual({ n: '1' });
    },
  );

  it('when a running plan is edited, then 409 with its state; guards change only on a draft', async () => {
    const plan = await guardedPlan([errorShare()]);
    const res = await request(t.app)
      .patch(`/admin/rollout-plans/${plan.id}`)
      .set('Authorization', operator)
      .send({ guards: [] })
      .expect(409);
    expect(res.body.error).toMatchObject({ code: 'CONFLICT', details: [{ currentState: 'running' }] });
    expect((await detail(plan.id)).guards).toHaveLength(1);
  });

  it.each([
    ['-1', 'query.stage'],
    ['20', 'query.stage'],
    ['x', 'query.stage'],
    ['1.5', 'query.stage'],
    ['0&stage=1', 'query.stage'],
    ['3', 'query.stage'], // the plan has stages 0 to 2
    ['1e1', 'query.stage'],
    ['%00', 'query.stage'],
    ['0&seq=1', 'query.seq'],
  ])('when guard checks are listed with stage=%s, then 400 names %s', async (stage, path) => {
    const plan = await guardedPlan([errorShare()]);
    const res = await request(t.app)
      .get(`/admin/rollout-plans/${plan.id}/guard-checks?stage=${stage}`)
      .set('Authorization', operator)
      .expect(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path }] });
  });

  it("when another tenant's plan or no plan is asked for its checks, then 404", async () => {
    const plan = await guardedPlan([errorShare()]);
    const other = await bearer(t.c, await createTenant(t.c), 'viewer');
    await request(t.app).get(`/admin/rollout-plans/${plan.id}/guard-checks`).set('Authorization', other).expect(404);
    await request(t.app).get('/admin/rollout-plans/not-a-plan/guard-checks').set('Authorization', operator).expect(404);
    const checks = await request(t.app)
      .get(`/admin/rollout-plans/${plan.id}/guard-checks?stage=2`)
      .set('Authorization', operator)
      .expect(200);
    expect(checks.body).toEqual({ stage: 2, checks: [] });
  });

  it('when a plan is created with guards, then they come back with their defaults, and the checks are listed per stage', async () => {
    const plan = await guardedPlan([errorShare()]);
    const body = await detail(plan.id);
    expect(body).toMatchObject({
      guards: [
        {
          kind: 'event_share',
          event: 'checkout.error',
          maxRelativeIncrease: 0.1,
          minUnitsPerArm: 200,
          direction: 'lower_is_better',
          onRegression: 'pause',
        },
      ],
      guardCheckSeconds: 5,
      onInsufficientData: 'pause',
      maxHoldSeconds: null,
    });
    await observe(plan.id, 0, { treatment: { units: 500, withEvent: 10 }, control: { units: 9500, withEvent: 190 } });
    await check(plan.id, 0, 1);
    await check(plan.id, 0, 2);
    const checks = (
      await request(t.app)
        .get(`/admin/rollout-plans/${plan.id}/guard-checks`)
        .set('Authorization', operator)
        .expect(200)
    ).body;
    expect(checks.stage).toBe(0);
    expect(checks.checks.map((c: { seq: number; guard: number }) => [c.seq, c.guard])).toEqual([
      [1, -1],
      [1, 0],
      [2, -1],
      [2, 0],
    ]);
  });
});
