import type { Plan, Transition } from '@/api/types';
import { PLAN_STATUS_LABELS } from './describe';
import { formatCountdown, formatPercent } from './format';
import { relativeTime } from './time';

/** How long until the plan's next step (its start, or the next stage), in ms; null when none is due. */
export const msToNextStep = (plan: Plan, now: number): number | null =>
  plan.nextAdvanceAt ? Date.parse(plan.nextAdvanceAt) - now : null;

/** The line under the progress bar: where the plan is and what happens next. */
export function progressDetail(p: Plan, now: number): string {
  const stageCount = p.stages.length;
  const stage = `Stage ${Math.max(0, p.currentStage + 1)} of ${stageCount}`;
  const nextStage = p.stages[p.currentStage + 1];
  const dueIn = msToNextStep(p, now);
  switch (p.status) {
    case 'draft':
      return `Draft · ${stageCount} stages`;
    case 'scheduled':
      return dueIn !== null ? `Starts in ${formatCountdown(dueIn)}` : 'Scheduled';
    case 'running':
      return nextStage && dueIn !== null
        ? `${stage} · ${formatPercent(nextStage.percent)} in ${formatCountdown(dueIn)}`
        : stage;
    case 'awaiting_approval':
      return `${stage} · awaiting approval`;
    case 'paused':
      return `${stage} · paused`;
    case 'failed':
      return `${stage} · failed${p.lastFailure ? ` (${p.lastFailure.code})` : ''}`;
    case 'completed':
      return 'Completed';
    case 'aborted':
      return `Aborted · back to ${formatPercent(p.rollbackPercent)}`;
  }
  return stage;
}

/** What assistive technology reads for the bar: the percentage, the state, and the line under it. */
export const progressValueText = (p: Plan, now: number): string =>
  `${formatPercent(p.currentPercent ?? 0)}, ${PLAN_STATUS_LABELS[p.status].toLowerCase()}; ${progressDetail(p, now)}`;

export type StageState = 'done' | 'current' | 'next' | 'later';
export const STAGE_STATE_LABELS: Record<StageState, string> = {
  done: 'done',
  current: 'current stage',
  next: 'next stage',
  later: 'later',
};

/** Where stage `i` stands: a completed plan has done its current stage too. */
export function stageState(plan: Plan, i: number): StageState {
  const current = plan.currentStage;
  if (i < current || (i === current && plan.status === 'completed')) return 'done';
  if (i === current) return 'current';
  return i === current + 1 ? 'next' : 'later';
}

/** When each stage was applied, from the transitions (the latest time it was entered). */
export function appliedTimes(transitions: readonly Transition[]): Map<number, string> {
  const map = new Map<number, string>();
  for (const t of transitions) if (t.toStage !== t.fromStage || t.event === 'start') map.set(t.toStage, t.at);
  return map;
}

/** The note under stage `i` on the timeline: when it was applied, or what it waits for. */
export function stageNote(plan: Plan, i: number, now: number, applied: ReadonlyMap<number, string>): string {
  const state = stageState(plan, i);
  const dueIn = msToNextStep(plan, now);
  const at = applied.get(i);
  if (state === 'done') return at ? `applied ${relativeTime(at, now)}` : 'applied';
  if (state === 'current') {
    if (plan.status === 'running' && dueIn !== null) return `next step in ${formatCountdown(dueIn)}`;
    if (plan.status === 'awaiting_approval') return 'awaiting approval';
    if (plan.status === 'aborted') return 'aborted here';
    return plan.status;
  }
  if (state === 'next') {
    if (plan.status === 'scheduled' && dueIn !== null) return `starts in ${formatCountdown(dueIn)}`;
    if (plan.status === 'draft') return 'when started';
    return 'up next';
  }
  return '';
}
