import { describe, expect, it } from '@jest/globals';
import { ApiError } from '@/api/client';
import type { Plan } from '@/api/types';
import { formOfPlan, notStartedToast, planChanges, planInput, savedToast, type PlanFormValues } from './plan-form';
import { draftOfStage } from './stage-drafts';

const stages = [
  { percent: 5, holdSeconds: 3600, requiresApproval: false },
  { percent: 100, holdSeconds: 0, requiresApproval: false },
];
const plan = (over: Partial<Plan> = {}): Plan =>
  ({
    id: 'p1',
    flagKey: 'checkout.v2',
    stages,
    stickiness: 'tenantId',
    rollbackPercent: 2,
    startAt: null,
    ...over,
  }) as Plan;
const values = (over: Partial<PlanFormValues> = {}): PlanFormValues => ({
  stages: stages.map(draftOfStage),
  startMode: 'now',
  startAt: null,
  stickiness: 'targetingKey',
  rollbackPercent: 0,
  ...over,
});

describe('plan form', () => {
  it('fills the form from a plan, with its start time when it has one', () => {
    const f = formOfPlan(plan());
    expect(f).toMatchObject({ startMode: 'now', startAt: null, stickiness: 'tenantId', rollbackPercent: 2 });
    expect(f.stages.map((s) => s.percent)).toEqual([5, 100]);
    const at = formOfPlan(plan({ startAt: '2030-01-01T10:00:00.000Z' }));
    expect(at.startMode).toBe('at');
    expect(at.startAt?.toISOString()).toBe('2030-01-01T10:00:00.000Z');
  });

  it('sends a start time only when the plan starts at one, and defaults for blank stickiness and rollback', () => {
    expect(planInput('f1', values())).toEqual({ flagId: 'f1', stages, stickiness: 'targetingKey', rollbackPercent: 0 });
    const startAt = new Date('2030-01-01T10:00:00.000Z');
    expect(planInput('f1', values({ startMode: 'at', startAt })).startAt).toBe('2030-01-01T10:00:00.000Z');
    expect(planInput('f1', values({ startMode: 'now', startAt }))).not.toHaveProperty('startAt');
    expect(planInput('f1', values({ stickiness: '  ', rollbackPercent: null }))).toMatchObject({
      stickiness: 'targetingKey',
      rollbackPercent: 0,
    });
    expect(planInput('f1', values({ stickiness: ' userId ' })).stickiness).toBe('userId');
  });

  it('turns the input into changes: the flag left out, and no start time cleared', () => {
    expect(planChanges(planInput('f1', values()))).toEqual({
      stages,
      stickiness: 'targetingKey',
      rollbackPercent: 0,
      startAt: null,
    });
    const startAt = new Date('2030-01-01T10:00:00.000Z');
    expect(planChanges(planInput('f1', values({ startMode: 'at', startAt }))).startAt).toBe('2030-01-01T10:00:00.000Z');
  });

  it('says what was saved, and why a saved plan did not start', () => {
    expect(savedToast(plan(), true)).toEqual({
      severity: 'success',
      summary: 'Rollout started',
      detail: 'checkout.v2: 5% → 100%',
      life: 3000,
    });
    expect(savedToast(plan(), false).summary).toBe('Plan saved as a draft');
    const e = new ApiError({ code: 'CONFLICT', message: 'The flag is off.', status: 409, requestId: 'r-1' });
    expect(notStartedToast(e)).toEqual({
      severity: 'warn',
      summary: 'Saved as a draft, but not started',
      detail: 'The flag is off. (request r-1)',
      life: 8000,
    });
    expect(notStartedToast(new ApiError({ code: 'X', message: 'm', status: 500 })).detail).toBe('m');
  });
});
