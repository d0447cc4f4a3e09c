import fc from 'fast-check';
import {
  ALLOWED_EVENTS,
  appliedPercent,
  decide,
  InvalidPlanActionError,
  isDue,
  PLAN_ACTIONS,
  PLAN_STATUSES,
  SYSTEM_EVENTS,
  validateStages,
  type PlanChange,
  type PlanEvent,
  type PlanState,
  type PlanStatus,
  type Stage,
} from '../../core/rollout-plan';

const NOW = new Date('2026-11-24T10:00:00.000Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const stages: Stage[] = [
  { percent: 5, holdSeconds: 30, requiresApproval: false },
  { percent: 25, holdSeconds: 60, requiresApproval: true },
  { percent: 100, holdSeconds: 0, requiresApproval: false },
];
const plan = (status: PlanStatus, currentStage: number, extra: Partial<PlanState> = {}): PlanState => ({
  status,
  stages,
  currentStage,
  startAt: null,
  rollbackPercent: 0,
  ...extra,
});
/** A representative plan in each state (stage 1 where a stage applies, so rollback is possible). */
const sample: Record<PlanStatus, PlanState> = {
  draft: plan('draft', -1),
  scheduled: plan('scheduled', -1, { startAt: at(600) }),
  running: plan('running', 1),
  awaiting_approval: plan('awaiting_approval', 1),
  paused: plan('paused', 1),
  failed: plan('failed', 1),
  completed: plan('completed', 2),
  aborted: plan('aborted', 1),
};
const change = (c: Partial<PlanChange>): PlanChange => ({
  status: 'running',
  currentStage: 0,
  nextAdvanceAt: null,
  pauseReason: null,
  percent: null,
  releaseRule: false,
  ...c,
});

/** Every state × every event: the expected result, or 409 with the current state. */
const expected: Record<PlanStatus, Partial<Record<PlanEvent, PlanChange>>> = {
  draft: {
    edit: change({ status: 'draft', currentStage: -1 }),
    start: change({ status: 'running', currentStage: 0, nextAdvanceAt: at(30), percent: 5 }),
    abort: change({ status: 'aborted', currentStage: -1 }),
  },
  scheduled: {
    pause: change({ status: 'paused', currentStage: -1, pauseReason: 'MANUAL' }),
    advance: change({ status: 'running', currentStage: 0, nextAdvanceAt: at(30), percent: 5 }),
    due: change({ status: 'running', currentStage: 0, nextAdvanceAt: at(30), percent: 5 }),
    abort: change({ status: 'aborted', currentStage: -1 }),
    fail: change({ status: 'failed', currentStage: -1 }),
    kill_switch: change({ status: 'paused', currentStage: -1, pauseReason: 'KILL_SWITCH' }),
  },
  running: {
    pause: change({ status: 'paused', currentStage: 1, pauseReason: 'MANUAL' }),
    advance: change({ status: 'awaiting_approval', currentStage: 1 }),
    due: change({ status: 'awaiting_approval', currentStage: 1 }),
    rollback: change({ status: 'paused', currentStage: 0, pauseReason: 'ROLLED_BACK', percent: 5 }),
    abort: change({ status: 'aborted', currentStage: 1, percent: 0, releaseRule: true }),
    fail: change({ status: 'failed', currentStage: 1 }),
    kill_switch: change({ status: 'paused', currentStage: 1, pauseReason: 'KILL_SWITCH' }),
    guard_pause: change({ status: 'paused', currentStage: 1, pauseReason: 'GUARD_REGRESSION' }),
    guard_rollback: change({ status: 'aborted', currentStage: 1, percent: 0, releaseRule: true }),
  },
  awaiting_approval: {
    pause: change({ status: 'paused', currentStage: 1, pauseReason: 'MANUAL' }),
    rollback: change({ status: 'paused', currentStage: 0, pauseReason: 'ROLLED_BACK', percent: 5 }),
    abort: change({ status: 'aborted', currentStage: 1, percent: 0, releaseRule: true }),
    approve: change({ status: 'completed', currentStage: 2, percent: 100, releaseRule: true }),
    kill_switch: change({ status: 'paused', currentStage: 1, pauseReason: 'KILL_SWITCH' }),

    guard_pause: change({ status: 'paused', currentStage: 1, pauseReason: 'GUARD_REGRESSION' }),
    guard_rollback: change({ status: 'aborted', currentStage: 1, percent: 0, releaseRule: true }),
  },
  paused: {
    resume: change({ status: 'running', currentStage: 1, nextAdvanceAt: at(60) }),
    rollback: change({ status: 'paused', currentStage: 0, pauseReason: 'ROLLED_BACK', percent: 5 }),
    abort: change({ status: 'aborted', currentStage: 1, percent: 0, releaseRule: true }),
  },
  failed: {
    rollback: change({ status: 'paused', currentStage: 0, pauseReason: 'ROLLED_BACK', percent: 5 }),
    abort: change({ status: 'aborted', currentStage: 1, percent: 0, releaseRule: true }),
    retry: change({ status: 'running', currentStage: 1, nextAdvanceAt: NOW }),
  },
  completed: {},
  aborted: {},
};

const EVENTS: PlanEvent[] = [...PLAN_ACTIONS, ...SYSTEM_EVENTS];

describe('rollout plan state machine', () => {
  describe.each(PLAN_STATUSES)('when a plan is %s', (status) => {
    it.each(EVENTS)(
      'and the event is %s, then the result is the expected state or a 409 naming the current state',
      (event) => {
        const want = expected[status][event];
        expect(ALLOWED_EVENTS[status].includes(event)).toBe(want !== undefined);
        if (want) {
          expect(decide(sample[status], event, NOW)).toEqual(want);
          return;
        }
        let thrown: unknown;
        try {
          decide(sample[status], event, NOW);
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBeInstanceOf(InvalidPlanActionError);
        expect((thrown as InvalidPlanActionError).code).toBe('CONFLICT');
        expect((thrown as InvalidPlanActionError).details?.[0].currentState).toBe(status);
      },
    );
  });

  it('when a draft with a future start time is started, then it is scheduled for that time and the flag is untouched', () => {
    const start = at(3600);
    expect(decide(plan('draft', -1, { startAt: start }), 'start', NOW)).toEqual(
      change({ status: 'scheduled', currentStage: -1, nextAdvanceAt: start }),
    );
  });

  it('when a draft with a past start time is started, then it runs at once', () => {
    expect(decide(plan('draft', -1, { startAt: at(-5) }), 'start', NOW).status).toBe('running');
  });

  it('when a running plan without a gate falls due, then it applies the next stage and starts its hold', () => {
    expect(decide(plan('running', 0), 'due', NOW)).toEqual(
      change({ status: 'running', currentStage: 1, nextAdvanceAt: at(60), percent: 25 }),
    );
  });

  it('when the last stage is applied, then the plan completes and releases its rule', () => {
    const two: Stage[] = [stages[0], stages[2]];
    expect(decide(plan('running', 0, { stages: two }), 'due', NOW)).toEqual(
      change({ status: 'completed', currentStage: 1, percent: 100, releaseRule: true }),
    );
  });

  it('when a one-stage plan starts, then it completes at once', () => {
    expect(decide(plan('draft', -1, { stages: [stages[2]] }), 'start', NOW)).toMatchObject({
      status: 'completed',
      percent: 100,
      releaseRule: true,
    });
  });

  it('when a plan at its first stage is rolled back, then 409: abort is the way back to the rollback percent', () => {
    expect(() => decide(plan('running', 0), 'rollback', NOW)).toThrow(InvalidPlanActionError);
  });

  it('when a plan that never applied a stage is aborted, then the flag is not touched', () => {
    expect(decide(plan('paused', -1), 'abort', NOW)).toMatchObject({
      status: 'aborted',
      percent: null,
      releaseRule: false,
    });
  });

  it('when a paused plan that had not started is resumed, then it starts as if new', () => {
    expect(decide(plan('paused', -1, { startAt: at(60) }), 'resume', NOW)).toMatchObject({
      status: 'scheduled',
      nextAdvanceAt: at(60),
    });
    expect(decide(plan('paused', -1), 'resume', NOW)).toMatchObject({ status: 'running', currentStage: 0, percent: 5 });
  });

  it('when a failed plan that had not started is retried, then it is scheduled for now', () => {
    expect(decide(plan('failed', -1), 'retry', NOW)).toMatchObject({ status: 'scheduled', nextAdvanceAt: NOW });
  });

  it('for any valid plan, driving it with due events ends completed, each percent higher than the last', () => {
    const arbStages = fc
      .uniqueArray(fc.integer({ min: 1, max: 10000 }), { minLength: 1, maxLength: 8 })
      .map((xs) =>
        xs.sort((a, b) => a - b).map((x) => ({ percent: x / 100, holdSeconds: x % 7, requiresApproval: x % 3 === 0 })),
      );
    fc.assert(
      fc.property(arbStages, (st) => {
        expect(validateStages(st, 0)).toEqual([]);
        let p: PlanState = plan('draft', -1, { stages: st });
        let last = 0;
        for (let step = 0; step < 2 * st.length + 2 && p.status !== 'completed'; step++) {
          const event: PlanEvent =
            p.status === 'draft' ? 'start' : p.status === 'awaiting_approval' ? 'approve' : 'due';
          const c = decide(p, event, NOW);
          if (c.percent !== null) {
            expect(c.percent).toBeGreaterThan(last);
            last = c.percent;
          }
          p = { ...p, status: c.status, currentStage: c.currentStage };
        }
        expect(p.status).toBe('completed');
        expect(appliedPercent(p)).toBe(st[st.length - 1].percent);
      }),
    );
  });
});

describe('stage validation', () => {
  it('when stages are strictly increasing within (0, 100] with holds ≥ 0, then there is nothing to report', () => {
    expect(validateStages(stages, 0)).toEqual([]);
    expect(validateStages([{ percent: 0.01, holdSeconds: 0, requiresApproval: false }], 0)).toEqual([]);
  });

  it('when a percent does not increase, then the detail names that stage', () => {
    const bad = [stages[0], { ...stages[1], percent: 5 }, stages[2]];
    expect(validateStages(bad, 0)).toEqual([
      { path: 'stages[1].percent', message: 'must be greater than stages[0].percent (5)' },
    ]);
  });

  it('when percents or holds are out of range, then each offending field is named', () => {
    const bad: Stage[] = [
      { percent: 0, holdSeconds: 10, requiresApproval: false },
      { percent: 50.005, holdSeconds: -1, requiresApproval: false },
      { percent: 101, holdSeconds: 1.5, requiresApproval: false },
    ];
    expect(validateStages(bad, 0).map((d) => d.path)).toEqual([
      'stages[0].percent',
      'stages[1].percent',
      'stages[1].holdSeconds',
      'stages[2].percent',
      'stages[2].holdSeconds',
    ]);
  });

  it('when there are no stages or the rollback percent is not below the first stage, then it is reported', () => {
    expect(validateStages([], 0).map((d) => d.path)).toEqual(['stages']);
    expect(validateStages(stages, 5).map((d) => d.path)).toEqual(['rollbackPercent']);
    expect(validateStages(stages, -1).map((d) => d.path)).toEqual(['rollbackPercent']);
  });
});

describe('due time', () => {
  it('when the next advance time is reached, then a running or scheduled plan is due; other states never are', () => {
    expect(isDue({ status: 'running', nextAdvanceAt: NOW }, NOW)).toBe(true);
    expect(isDue({ status: 'scheduled', nextAdvanceAt: at(-1) }, NOW)).toBe(true);
    expect(isDue({ status: 'running', nextAdvanceAt: at(1) }, NOW)).toBe(false);
    expect(isDue({ status: 'paused', nextAdvanceAt: at(-1) }, NOW)).toBe(false);
    expect(isDue({ status: 'running', nextAdvanceAt: null }, NOW)).toBe(false);
  });

  it('the applied percent is the current stage, the rollback percent once aborted, none before the first stage', () => {
    expect(appliedPercent(plan('running', 1))).toBe(25);
    expect(appliedPercent(plan('aborted', 1, { rollbackPercent: 1 }))).toBe(1);
    expect(appliedPercent(plan('scheduled', -1))).toBeNull();
  });
});
