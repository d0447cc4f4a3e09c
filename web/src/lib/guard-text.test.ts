import { describe, expect, it } from '@jest/globals';
import type { AvailableAction, GuardEvidence, PlanDetail, Transition } from '@/api/types';
import {
  currentTrip,
  describeEvidence,
  describeGuard,
  formatArmValue,
  formatChange,
  isGuardPause,
  tripAdvice,
  tripHeadline,
} from './guard-text';

const evidence = (over: Partial<GuardEvidence> = {}): GuardEvidence => ({
  guard: 0,
  kind: 'event_share',
  subject: 'checkout.error',
  verdict: 'regression',
  stage: 0,
  percent: 5,
  checkedAt: '2030-01-01T10:00:00.000Z',
  arms: { treatment: { units: 500, value: 0.1 }, control: { units: 9500, value: 0.02 } },
  interval: { estimate: 4, lower: 2.5, upper: 5.6 },
  threshold: 0.1,
  ...over,
});
const transition = (over: Partial<Transition>): Transition =>
  ({
    seq: 2,
    event: 'guard_pause',
    toStatus: 'paused',
    fromPercent: 5,
    toPercent: 5,
    evidence: evidence(),
    ...over,
  }) as Transition;
const plan = (over: Partial<PlanDetail> = {}): PlanDetail =>
  ({
    status: 'paused',
    pauseReason: 'GUARD_REGRESSION',
    currentStage: 1,
    rollbackPercent: 0,
    stages: [{ percent: 5 }, { percent: 25 }, { percent: 100 }],
    transitions: [transition({ seq: 1, event: 'start', toStatus: 'running', evidence: null }), transition({})],
    ...over,
  }) as PlanDetail;
const allowed = (...actions: AvailableAction['action'][]): AvailableAction[] =>
  actions.map((action) => ({ action, allowed: true }));

describe('guard wording', () => {
  it('words each kind of guard as the rule a person reads', () => {
    const event = { minUnitsPerArm: 200, onRegression: 'pause' as const };
    expect(
      describeGuard({
        ...event,
        kind: 'event_share',
        event: 'e',
        maxRelativeIncrease: 0.1,
        direction: 'lower_is_better',
      }),
    ).toBe('Share of units sending e must not rise by more than 10%');
    expect(
      describeGuard({
        ...event,
        kind: 'event_mean',
        event: 'amount',
        maxRelativeIncrease: 0.055,
        direction: 'higher_is_better',
      }),
    ).toBe('Mean amount must not fall by more than 5.5%');
    expect(describeGuard({ kind: 'prometheus', query: 'q', max: 2, onRegression: 'pause' })).toBe(
      'q must stay below 2',
    );
    expect(describeGuard({ kind: 'prometheus', query: 'q', min: 1, max: 2, onRegression: 'pause' })).toBe(
      'q must stay between 1 and 2',
    );
  });

  it('shows a share as a percentage, a mean as a number, and a change with its sign', () => {
    expect(formatArmValue('event_share', 0.0215)).toBe('2.15%');
    expect(formatArmValue('event_share', 0.3)).toBe('30.0%');
    expect(formatArmValue('event_mean', 182.44)).toBe('182.4');
    expect(formatArmValue('event_mean', null)).toBe('—');
    expect([formatChange(0.042), formatChange(-0.05), formatChange(4), formatChange(0.0001)]).toEqual([
      '+4.2%',
      '−5%',
      '+400%',
      '0%',
    ]);
  });

  it('writes a check’s evidence in one line for the audit log', () => {
    expect(describeEvidence(evidence())).toBe(
      'Guard 1 at 5%: regression (checkout.error); treatment 10.0% of 500 units, control 2.00% of 9,500 units; change +400% (+250% to +560%), 10% allowed',
    );
    const srm = evidence({ guard: -1, kind: 'sample_ratio', value: 1.2e-9, interval: undefined });
    srm.arms!.treatment.units = 1000;
    expect(describeEvidence(srm)).toBe(
      'Sample ratio at 5%: regression; 1,000 treatment vs 9,500 units in control (expected treatment 525), p = 1.2e-9',
    );
  });

  it('names the pauses a guard makes', () => {
    expect(
      ['GUARD_REGRESSION', 'SAMPLE_RATIO_MISMATCH', 'GUARD_INCONCLUSIVE', 'INSUFFICIENT_DATA'].every(isGuardPause),
    ).toBe(true);
    expect([null, 'MANUAL', 'toString'].some(isGuardPause)).toBe(false);
  });
});

describe('a tripped guard', () => {
  it('is the plan’s latest transition when a guard made it and the plan has not moved since', () => {
    expect(currentTrip(plan())?.evidence?.guard).toBe(0);
    expect(currentTrip(plan({ status: 'running' }))).toBeNull();
    const resumed = plan({ status: 'running' });
    resumed.transitions.push(transition({ seq: 3, event: 'resume', toStatus: 'running' }));
    expect(currentTrip(resumed)).toBeNull();
  });

  it('says what happened for each reason', () => {
    const trip = currentTrip(plan())!;
    expect(tripHeadline(trip, 'GUARD_REGRESSION')).toBe('Paused at 5%: guard 1 found a regression.');
    expect(tripHeadline(trip, 'SAMPLE_RATIO_MISMATCH')).toMatch(/arms' sizes do not match/);
    expect(tripHeadline({ ...trip, evidence: null }, 'INSUFFICIENT_DATA')).toMatch(/not every guard had enough data/);
    const rolledBack = currentTrip(
      plan({
        status: 'aborted',
        transitions: [transition({ event: 'guard_rollback', toStatus: 'aborted', toPercent: 0 })],
      }),
    )!;
    expect(tripHeadline(rolledBack, null)).toBe(
      'Rolled back to 0%: guard 1 found a regression at 5%, and the plan ended.',
    );
  });

  it('offers what the API allows now, in words, or who can act, or that the plan has ended', () => {
    const p = plan();
    expect(tripAdvice(p, allowed('resume', 'rollback', 'abort'))).toEqual([
      expect.stringMatching(/^Resume holds this stage again from now/),
      'Roll back returns the flag to 5% and keeps the plan paused.',
      'Abort ends the plan and sets the flag to its rollback percentage, 0%.',
    ]);
    const refused = (action: AvailableAction['action']) => ({ action, allowed: false, reason: 'operators only' });
    expect(tripAdvice(p, [refused('resume')])).toEqual(['An operator can resume it.']);
    expect(
      tripAdvice(
        p,
        ['resume', 'rollback', 'abort'].map((a) => refused(a as AvailableAction['action'])),
      ),
    ).toEqual(['An operator can resume, roll back or abort it.']);
    expect(tripAdvice(plan({ status: 'aborted' }), [])).toEqual([
      'The plan has ended and the flag is back at 0%. Fix the cause, then plan the rollout again.',
    ]);
  });
});
