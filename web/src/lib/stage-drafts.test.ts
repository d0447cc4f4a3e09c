import { describe, expect, it } from '@jest/globals';
import { blankStage, draftOfStage, messagesAt, reachOf, stageAfter, stageOf, totalHoldSeconds } from './stage-drafts';

describe('stage drafts', () => {
  it('shows a hold in the largest unit that keeps it whole, and sends it back in seconds', () => {
    expect(draftOfStage({ percent: 5, holdSeconds: 7200, requiresApproval: true })).toMatchObject({
      percent: 5,
      hold: 2,
      unit: 'h',
      requiresApproval: true,
    });
    expect(draftOfStage({ percent: 5, holdSeconds: 300, requiresApproval: false })).toMatchObject({
      hold: 5,
      unit: 'min',
    });
    expect(draftOfStage({ percent: 5, holdSeconds: 90, requiresApproval: false })).toMatchObject({
      hold: 90,
      unit: 's',
    });
    expect(draftOfStage({ percent: 100, holdSeconds: 0, requiresApproval: false })).toMatchObject({
      hold: 0,
      unit: 's',
    });
    const stage = { percent: 25, holdSeconds: 5400, requiresApproval: false };
    expect(stageOf(draftOfStage(stage))).toEqual(stage);
  });

  it('sends blank numbers as -1, so the API names the field', () => {
    expect(stageOf({ ...blankStage(), hold: null })).toEqual({
      percent: -1,
      holdSeconds: -3600,
      requiresApproval: false,
    });
  });

  it('gives every draft its own uid', () => {
    expect(blankStage().uid).not.toBe(blankStage().uid);
  });

  it('adds a stage at twice the last percentage, 100 at most, or a blank one after a blank one', () => {
    expect(stageAfter({ ...blankStage(), percent: 10 }).percent).toBe(20);
    expect(stageAfter({ ...blankStage(), percent: 80 }).percent).toBe(100);
    expect(stageAfter({ ...blankStage(), percent: 0 }).percent).toBe(0);
    expect(stageAfter(blankStage()).percent).toBeNull();
    expect(stageAfter(undefined)).toMatchObject({ percent: null, hold: 1, unit: 'h' });
  });

  it('adds up every hold but the final stage’s', () => {
    const stages = [
      { ...blankStage(), hold: 30, unit: 's' as const },
      { ...blankStage(), hold: 2, unit: 'min' as const },
      { ...blankStage(), hold: 5, unit: 'h' as const },
    ];
    expect(totalHoldSeconds(stages)).toBe(150);
    expect(totalHoldSeconds(stages.slice(0, 1))).toBe(0);
  });

  it('previews a stage’s reach from the evaluations counted, and nothing without any', () => {
    expect(reachOf(5, { evaluations: 25_000 })).toBe('≈ 1,250');
    expect(reachOf(null, { evaluations: 25_000 })).toBe('');
    expect(reachOf(5, { evaluations: 0 })).toBe('');
    expect(reachOf(5, null)).toBe('');
  });

  it('picks the messages of exactly one path', () => {
    const details = [
      { path: 'stages', message: 'at most 20 stages' },
      { path: 'stages[1].percent', message: 'must rise' },
      { path: 'stages[1].percent.x', message: 'deeper' },
      { message: 'no path' },
    ];
    expect(messagesAt(details, 'stages')).toEqual(['at most 20 stages']);
    expect(messagesAt(details, 'stages[1].percent')).toEqual(['must rise']);
    expect(messagesAt(undefined, 'stages')).toEqual([]);
  });
});
