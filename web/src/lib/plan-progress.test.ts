import { describe, expect, it } from '@jest/globals';
import type { Plan, Transition } from '@/api/types';
import { appliedTimes, msToNextStep, progressDetail, progressValueText, stageNote, stageState } from './plan-progress';

const NOW = Date.parse('2030-01-01T10:00:00.000Z');
const stages = [
  { percent: 5, holdSeconds: 60, requiresApproval: false },
  { percent: 25, holdSeconds: 60, requiresApproval: true },
  { percent: 100, holdSeconds: 0, requiresApproval: false },
];
const plan = (over: Partial<Plan> = {}): Plan =>
  ({
    id: 'p1',
    flagKey: 'checkout.v2',
    status: 'running',
    stages,
    currentStage: 0,
    currentPercent: 5,
    nextAdvanceAt: '2030-01-01T10:01:30.000Z',
    rollbackPercent: 0,
    lastFailure: null,
    ...over,
  }) as Plan;
const transition = (over: Partial<Transition>): Transition =>
  ({ event: 'due', fromStage: 0, toStage: 1, at: '2030-01-01T09:00:00.000Z', ...over }) as Transition;

describe('plan progress', () => {
  it('counts down to the next step, and has none to count without one', () => {
    expect(msToNextStep(plan(), NOW)).toBe(90_000);
    expect(msToNextStep(plan({ nextAdvanceAt: null }), NOW)).toBeNull();
  });

  it('says under the bar where each kind of plan stands', () => {
    expect(progressDetail(plan({ status: 'draft', currentStage: -1 }), NOW)).toBe('Draft · 3 stages');
    expect(progressDetail(plan({ status: 'scheduled', currentStage: -1 }), NOW)).toBe('Starts in 1:30');
    expect(progressDetail(plan({ status: 'scheduled', currentStage: -1, nextAdvanceAt: null }), NOW)).toBe('Scheduled');
    expect(progressDetail(plan(), NOW)).toBe('Stage 1 of 3 · 25% in 1:30');
    expect(progressDetail(plan({ currentStage: 2, nextAdvanceAt: null }), NOW)).toBe('Stage 3 of 3');
    expect(progressDetail(plan({ status: 'awaiting_approval', currentStage: 1 }), NOW)).toBe(
      'Stage 2 of 3 · awaiting approval',
    );
    expect(progressDetail(plan({ status: 'paused' }), NOW)).toBe('Stage 1 of 3 · paused');
    expect(
      progressDetail(plan({ status: 'failed', lastFailure: { code: 'FLAG_OFF' } as Plan['lastFailure'] }), NOW),
    ).toBe('Stage 1 of 3 · failed (FLAG_OFF)');
    expect(progressDetail(plan({ status: 'completed', currentStage: 2 }), NOW)).toBe('Completed');
    expect(progressDetail(plan({ status: 'aborted', rollbackPercent: 2 }), NOW)).toBe('Aborted · back to 2%');
  });

  it('reads the bar aloud as its percentage, state and detail', () => {
    expect(progressValueText(plan({ status: 'paused' }), NOW)).toBe('5%, paused; Stage 1 of 3 · paused');
    expect(progressValueText(plan({ status: 'draft', currentPercent: null }), NOW)).toBe('0%, draft; Draft · 3 stages');
  });

  it('places each stage before, at or after the current one, a completed plan’s last stage done', () => {
    expect([0, 1, 2].map((i) => stageState(plan({ currentStage: 1 }), i))).toEqual(['done', 'current', 'next']);
    expect([0, 1, 2].map((i) => stageState(plan({ currentStage: -1 }), i))).toEqual(['next', 'later', 'later']);
    expect(stageState(plan({ status: 'completed', currentStage: 2 }), 2)).toBe('done');
  });

  it('takes the latest time each stage was entered, the start included', () => {
    const applied = appliedTimes([
      transition({ event: 'start', fromStage: -1, toStage: 0, at: 'a' }),
      transition({ event: 'pause', fromStage: 0, toStage: 0, at: 'b' }),
      transition({ event: 'due', fromStage: 0, toStage: 1, at: 'c' }),
      transition({ event: 'rollback', fromStage: 1, toStage: 0, at: 'd' }),
    ]);
    expect([...applied]).toEqual([
      [0, 'd'],
      [1, 'c'],
    ]);
  });

  it('notes when a stage was applied, or what it waits for', () => {
    const applied = new Map([[0, '2030-01-01T09:00:00.000Z']]);
    const running = plan({ currentStage: 1 });
    expect(stageNote(running, 0, NOW, applied)).toBe('applied 1 hour ago');
    expect(stageNote(running, 0, NOW, new Map())).toBe('applied');
    expect(stageNote(running, 1, NOW, applied)).toBe('next step in 1:30');
    expect(stageNote(running, 2, NOW, applied)).toBe('up next');
    expect(stageNote(plan({ status: 'awaiting_approval', currentStage: 1 }), 1, NOW, applied)).toBe(
      'awaiting approval',
    );
    expect(stageNote(plan({ status: 'aborted' }), 0, NOW, applied)).toBe('aborted here');
    expect(stageNote(plan({ status: 'paused' }), 0, NOW, applied)).toBe('paused');
    expect(stageNote(plan({ status: 'scheduled', currentStage: -1 }), 0, NOW, applied)).toBe('starts in 1:30');
    expect(stageNote(plan({ status: 'draft', currentStage: -1 }), 0, NOW, applied)).toBe('when started');
    expect(stageNote(plan({ status: 'draft', currentStage: -1 }), 1, NOW, applied)).toBe('');
  });
});
