import type { ApiError } from '@/api/client';
import type { CreatePlanInput } from '@/api/rollouts';
import type { Plan, RequestBody } from '@/api/types';
import { describeStages } from './describe';
import { draftOfStage, stageOf, type StageDraft } from './stage-drafts';

/** What the plan form edits besides the flag: the stages, when it starts, and its stickiness and way back. */
export interface PlanFormValues {
  stages: StageDraft[];
  startMode: 'now' | 'at';
  startAt: Date | null;
  stickiness: string;
  rollbackPercent: number | null;
}

/** The form's values for an existing plan (to edit it). */
export function formOfPlan(p: Plan): PlanFormValues {
  return {
    stages: p.stages.map(draftOfStage),
    startMode: p.startAt ? 'at' : 'now',
    startAt: p.startAt ? new Date(p.startAt) : null,
    stickiness: p.stickiness,
    rollbackPercent: p.rollbackPercent,
  };
}

/** The plan to create: a start time only when one is chosen, and the defaults for blank stickiness and rollback. */
export function planInput(flagId: string, v: PlanFormValues): CreatePlanInput {
  return {
    flagId,
    stages: v.stages.map(stageOf),
    ...(v.startMode === 'at' && v.startAt ? { startAt: v.startAt.toISOString() } : {}),
    stickiness: v.stickiness.trim() || 'targetingKey',
    rollbackPercent: v.rollbackPercent ?? 0,
  };
}

/** The same input as changes to a plan: its flag stays, and a plan that now starts "when started" loses its start time. */
export function planChanges(input: CreatePlanInput): RequestBody<'updateRolloutPlan'> {
  const { flagId: _f, ...changes } = input;
  return { ...changes, startAt: changes.startAt ?? null };
}

export interface PlanToast {
  severity: 'success' | 'warn';
  summary: string;
  detail: string;
  life: number;
}

/** What the screen says after saving: the plan saved (and started, when asked). */
export function savedToast(plan: Plan, started: boolean): PlanToast {
  return {
    severity: 'success',
    summary: started ? 'Rollout started' : 'Plan saved as a draft',
    detail: `${plan.flagKey}: ${describeStages(plan.stages)}`,
    life: 3000,
  };
}

/** What the screen says when the plan was saved but starting it failed. */
export function notStartedToast(e: ApiError): PlanToast {
  return {
    severity: 'warn',
    summary: 'Saved as a draft, but not started',
    detail: `${e.message}${e.requestId ? ` (request ${e.requestId})` : ''}`,
    life: 8000,
  };
}
