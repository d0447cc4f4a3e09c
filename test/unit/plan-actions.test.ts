import fc from 'fast-check';
import type { AppError } from '../../core/errors';
import {
  actionRefusal,
  availableActions,
  MOVING_ACTIONS,
  PERSON_ACTIONS,
  PLAN_STATUSES,
  type ActionSituation,
  type PlanAction,
  type PlanStatus,
} from '../../core/rollout-plan';

const author = { type: 'user' as const, id: 'u-author' };
const other = { type: 'user' as const, id: 'u-other' };
const plan = (status: PlanStatus, currentStage = 1) => ({
  status,
  currentStage,
  flagKey: 'checkout.v2',
  createdBy: author,
});
/** Nothing holds the plan back: the flag is on, rollouts move, and someone other than the author acts. */
const free: ActionSituation = {
  flagEnabled: true,
  flagArchived: false,
  rolloutsPaused: { on: false, reason: null },
  actor: other,
};

/** What each state offers a person, in the order the UI shows it (a plan at stage 1, so rollback is possible). */
const offered: Record<PlanStatus, PlanAction[]> = {
  draft: ['edit', 'start', 'abort'],
  scheduled: ['pause', 'advance', 'abort'],
  running: ['pause', 'advance', 'rollback', 'abort'],
  awaiting_approval: ['approve', 'pause', 'rollback', 'abort'],
  paused: ['resume', 'rollback', 'abort'],
  failed: ['retry', 'rollback', 'abort'],
  completed: [],
  aborted: [],
};

const refusal = (status: PlanStatus, action: PlanAction, s: ActionSituation = free, stage = 1): AppError | null =>
  actionRefusal(plan(status, stage), action, s);

describe('which actions a person may take on a plan', () => {
  it.each(PLAN_STATUSES)(
    'when a plan is %s and nothing holds it back, then exactly its offered actions are listed, all allowed',
    (status) => {
      expect(availableActions(plan(status), free)).toEqual(
        offered[status].map((action) => ({ action, allowed: true })),
      );
    },
  );

  describe.each(PLAN_STATUSES)('every action on a %s plan', (status) => {
    it.each(PERSON_ACTIONS.filter((a) => !offered[status].includes(a)))(
      'when %s is taken although the state does not offer it, then 409 CONFLICT with the current state',
      (action) => {
        const err = refusal(status, action);
        expect(err).toMatchObject({ status: 409, code: 'CONFLICT', details: [{ currentState: status }] });
        expect(err?.message).toBe(
          action === 'edit' ? 'Only a draft plan can be edited.' : `A plan that is ${status} cannot ${action}.`,
        );
      },
    );
  });

  it('when every rollout is paused, then actions that move a plan are refused with 503 SERVICE_DISABLED naming the switch and the reason', () => {
    const paused: ActionSituation = { ...free, rolloutsPaused: { on: true, reason: 'incident 42' } };
    for (const status of PLAN_STATUSES) {
      for (const a of availableActions(plan(status), paused)) {
        if (!MOVING_ACTIONS.includes(a.action)) {
          expect(a).toEqual({ action: a.action, allowed: true });
          continue;
        }
        expect(a).toEqual({
          action: a.action,
          allowed: false,
          reason: 'Every rollout is paused by an admin: incident 42 Pause, rollback and abort still work.',
        });
        expect(refusal(status, a.action, paused)).toMatchObject({
          status: 503,
          code: 'SERVICE_DISABLED',
          details: [{ switch: 'rollouts_paused' }],
        });
      }
    }
    expect(refusal('paused', 'resume', { ...free, rolloutsPaused: { on: true, reason: null } })?.message).toBe(
      'Every rollout is paused by an admin. Pause, rollback and abort still work.',
    );
  });

  it('when the flag is switched off, then moving actions are 409 with the current state; pause, rollback and abort stay allowed', () => {
    const off: ActionSituation = { ...free, flagEnabled: false };
    expect(availableActions(plan('paused'), off)).toEqual([
      {
        action: 'resume',
        allowed: false,
        reason: 'Flag checkout.v2 is switched off (kill switch); enable it before moving its rollout.',
      },
      { action: 'rollback', allowed: true },
      { action: 'abort', allowed: true },
    ]);
    expect(refusal('running', 'advance', off)).toMatchObject({ status: 409, details: [{ currentState: 'running' }] });
  });

  it('when the flag is archived, then the plan can only be paused, rolled back or aborted', () => {
    const archived: ActionSituation = { ...free, flagArchived: true };
    expect(availableActions(plan('failed'), archived)).toEqual([
      { action: 'retry', allowed: false, reason: 'The flag is archived; this plan can only be aborted.' },
      { action: 'rollback', allowed: true },
      { action: 'abort', allowed: true },
    ]);
  });

  it("when the plan's author would approve it, then 403 FORBIDDEN: another operator approves", () => {
    const self: ActionSituation = { ...free, actor: author };
    expect(availableActions(plan('awaiting_approval'), self)[0]).toEqual({
      action: 'approve',
      allowed: false,
      reason: 'A plan must be approved by an operator other than its author.',
    });
    expect(refusal('awaiting_approval', 'approve', self)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    // the same id as a token is someone else
    expect(refusal('awaiting_approval', 'approve', { ...free, actor: { type: 'token', id: author.id } })).toBeNull();
  });

  it('when a plan is at its first stage, then rollback is not offered, and taking it is 409: abort is the way back', () => {
    for (const status of ['running', 'awaiting_approval', 'paused', 'failed'] as const) {
      expect(availableActions(plan(status, 0), free).map((a) => a.action)).not.toContain('rollback');
      expect(refusal(status, 'rollback', free, 0)).toMatchObject({
        status: 409,
        message: 'The plan is at its first stage; abort it to go back to the rollback percent.',
        details: [{ currentState: status }],
      });
    }
  });

  it('for any plan and situation, an action is listed as allowed exactly when taking it is not refused, and a refused one says why', () => {
    const situation = fc.record({
      flagEnabled: fc.boolean(),
      flagArchived: fc.boolean(),
      rolloutsPaused: fc.record({ on: fc.boolean(), reason: fc.option(fc.string(), { nil: null }) }),
      actor: fc.constantFrom(author, other),
    });
    fc.assert(
      fc.property(fc.constantFrom(...PLAN_STATUSES), fc.integer({ min: -1, max: 2 }), situation, (status, stage, s) => {
        for (const a of availableActions(plan(status, stage), s)) {
          const err = refusal(status, a.action, s, stage);
          expect(a).toEqual(
            err ? { action: a.action, allowed: false, reason: err.message } : { action: a.action, allowed: true },
          );
          if (err?.status === 409) expect(err.details).toMatchObject([{ currentState: status }]);
        }
      }),
      { seed: 20261202, numRuns: 300 },
    );
  });
});
