import type { Actor } from './actor';
import { isPercent } from './bucketing';
import { ConflictError, ForbiddenError, ServiceDisabledError, type AppError, type ErrorDetail } from './errors';

/**
 * The rollout plan state machine (see the glossary's "plan state"). Pure: it decides what a
 * plan becomes after an action or a system event; the rollout service applies the decision.
 */
export const PLAN_STATUSES = [
  'draft',
  'scheduled',
  'running',
  'awaiting_approval',
  'paused',
  'failed',
  'completed',
  'aborted',
] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** What people do through the API (`edit` is PATCH). */
export const PLAN_ACTIONS = [
  'edit',
  'start',
  'pause',
  'resume',
  'advance',
  'rollback',
  'abort',
  'retry',
  'approve',
] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

/**
 * What the worker and the kill switch do: a stage falls due, attempts run out, the flag is
 * switched off, a guard stops the plan (pause, or abort to the rollback percent).
 */
export const SYSTEM_EVENTS = ['due', 'fail', 'kill_switch', 'guard_pause', 'guard_rollback'] as const;
export type SystemEvent = (typeof SYSTEM_EVENTS)[number];
export type PlanEvent = PlanAction | SystemEvent;

/** Plans in these states own their flag's percent rule; a flag has at most one of them. */
export const ACTIVE_STATUSES = [
  'scheduled',
  'running',
  'awaiting_approval',
  'paused',
  'failed',
] as const satisfies readonly PlanStatus[];
export const FINAL_STATUSES = ['completed', 'aborted'] as const satisfies readonly PlanStatus[];

/** Why a plan is paused: by a person, the kill switch, a rollback, or by one of its guards (see guards.ts). */
export const PAUSE_REASONS = [
  'MANUAL',
  'KILL_SWITCH',
  'ROLLED_BACK',
  'GUARD_REGRESSION',
  'SAMPLE_RATIO_MISMATCH',
  'GUARD_INCONCLUSIVE',
  'INSUFFICIENT_DATA',
] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

export const ALLOWED_EVENTS: Record<PlanStatus, readonly PlanEvent[]> = {
  draft: ['edit', 'start', 'abort'],
  scheduled: ['pause', 'advance', 'abort', 'due', 'fail', 'kill_switch'],
  running: ['pause', 'advance', 'rollback', 'abort', 'due', 'fail', 'kill_switch', 'guard_pause', 'guard_rollback'],
  awaiting_approval: ['pause', 'rollback', 'abort', 'approve', 'kill_switch', 'guard_pause', 'guard_rollback'],
  paused: ['resume', 'rollback', 'abort'],
  failed: ['rollback', 'abort', 'retry'],
  completed: [],
  aborted: [],
};

export interface Stage {
  percent: number;
  holdSeconds: number;
  requiresApproval: boolean;
}

export interface PlanState {
  status: PlanStatus;
  stages: Stage[];
  /** Index of the stage applied to the flag; -1 before the first one. */
  currentStage: number;
  startAt: Date | null;
  rollbackPercent: number;
}

export interface PlanChange {
  status: PlanStatus;
  currentStage: number;
  nextAdvanceAt: Date | null;
  pauseReason: PauseReason | null;
  /** The percent to set on the flag's plan-owned rule; null leaves the rule as it is. */
  percent: number | null;
  /** The plan has ended: its rule becomes an ordinary percent rule. */
  releaseRule: boolean;
}

export class InvalidPlanActionError extends ConflictError {
  constructor(status: PlanStatus, event: PlanEvent, why?: string) {
    super(why ?? `A plan that is ${status} cannot ${event.replace('_', ' ')}.`, status);
  }
}

export function isAllowed(status: PlanStatus, event: PlanEvent): boolean {
  return ALLOWED_EVENTS[status].includes(event);
}

export const isActive = (status: PlanStatus): boolean => (ACTIVE_STATUSES as readonly PlanStatus[]).includes(status);

/** The percent the plan holds the flag at, or null when it never touched the flag. */
export function appliedPercent(
  plan: Pick<PlanState, 'status' | 'stages' | 'currentStage' | 'rollbackPercent'>,
): number | null {
  if (plan.currentStage < 0) return null;
  return plan.status === 'aborted' ? plan.rollbackPercent : plan.stages[plan.currentStage].percent;
}

const addSeconds = (at: Date, seconds: number): Date => new Date(at.getTime() + seconds * 1000);

/** Applies stage `index`: the last stage completes the plan, any other starts its hold. */
function enterStage(plan: PlanState, index: number, now: Date): PlanChange {
  const stage = plan.stages[index];
  const last = index === plan.stages.length - 1;
  return {
    status: last ? 'completed' : 'running',
    currentStage: index,
    nextAdvanceAt: last ? null : addSeconds(now, stage.holdSeconds),
    pauseReason: null,
    percent: stage.percent,
    releaseRule: last,
  };
}

/** The stage is due: move past it, unless it waits for a second person's approval. */
function moveOn(plan: PlanState, now: Date): PlanChange {
  if (plan.status === 'scheduled') return enterStage(plan, 0, now);
  if (plan.stages[plan.currentStage].requiresApproval) {
    return hold(plan, 'awaiting_approval');
  }
  return enterStage(plan, plan.currentStage + 1, now);
}

function hold(plan: PlanState, status: PlanStatus, pauseReason: PauseReason | null = null): PlanChange {
  return {
    status,
    currentStage: plan.currentStage,
    nextAdvanceAt: null,
    pauseReason,
    percent: null,
    releaseRule: false,
  };
}

function begin(plan: PlanState, now: Date): PlanChange {
  if (plan.startAt && plan.startAt.getTime() > now.getTime()) {
    return { ...hold(plan, 'scheduled'), nextAdvanceAt: plan.startAt };
  }
  return enterStage(plan, 0, now);
}

/**
 * What `event` does to `plan` at `now`. Throws InvalidPlanActionError (409 with the current
 * state) when the event is not allowed in the plan's state.
 */
export function decide(plan: PlanState, event: PlanEvent, now: Date): PlanChange {
  if (!isAllowed(plan.status, event)) throw new InvalidPlanActionError(plan.status, event);
  switch (event) {
    case 'edit':
      return hold(plan, plan.status);
    case 'start':
      return begin(plan, now);
    case 'due':
    case 'advance':
      return moveOn(plan, now);
    case 'approve':
      return enterStage(plan, plan.currentStage + 1, now);
    case 'pause':
      return hold(plan, 'paused', 'MANUAL');
    case 'kill_switch':
      return hold(plan, 'paused', 'KILL_SWITCH');
    case 'guard_pause':
      // the caller names which guard reason (regression, sample ratio, inconclusive, too few units)
      return hold(plan, 'paused', 'GUARD_REGRESSION');
    case 'resume':
      if (plan.currentStage < 0) return begin(plan, now);
      return { ...hold(plan, 'running'), nextAdvanceAt: addSeconds(now, plan.stages[plan.currentStage].holdSeconds) };
    case 'rollback': {
      if (plan.currentStage < 1) {
        throw new InvalidPlanActionError(
          plan.status,
          event,
          'The plan is at its first stage; abort it to go back to the rollback percent.',
        );
      }
      const previous = plan.currentStage - 1;
      return { ...hold(plan, 'paused', 'ROLLED_BACK'), currentStage: previous, percent: plan.stages[previous].percent };
    }
    case 'abort':
    case 'guard_rollback': {
      const touched = plan.currentStage >= 0;
      return { ...hold(plan, 'aborted'), percent: touched ? plan.rollbackPercent : null, releaseRule: touched };
    }
    case 'retry':
      return { ...hold(plan, plan.currentStage < 0 ? 'scheduled' : 'running'), nextAdvanceAt: now };
    case 'fail':
      return hold(plan, 'failed');
  }
}

/** What a person may do to a plan, in the order the UI offers it: the step forward first, abort last. */
export const PERSON_ACTIONS = [
  'edit',
  'start',
  'approve',
  'retry',
  'resume',
  'pause',
  'advance',
  'rollback',
  'abort',
] as const satisfies readonly PlanAction[];

/** Actions that move a rollout forward: refused while "pause all rollouts" is on or the flag is off. */
export const MOVING_ACTIONS: readonly PlanAction[] = ['start', 'resume', 'advance', 'retry', 'approve'];

export interface ActionSituation {
  flagEnabled: boolean;
  flagArchived: boolean;
  /** "Pause all rollouts", with the admin's reason. */
  rolloutsPaused: { on: boolean; reason: string | null };
  /** Who would act: an approval needs someone other than the plan's author. */
  actor: Pick<Actor, 'type' | 'id'>;
}

export interface AvailableAction {
  action: PlanAction;
  allowed: boolean;
  /** Why it is refused now (the API's error message); only when not allowed. */
  reason?: string;
}

type ActionPlan = Pick<PlanState, 'status' | 'currentStage'> & {
  flagKey: string;
  createdBy: Pick<Actor, 'type' | 'id'>;
};

/**
 * The error the API answers when `action` is taken on `plan` now, or null when it is allowed.
 * The order matters: the state first (409 with the current state), then the switches.
 */
export function actionRefusal(plan: ActionPlan, action: PlanAction, s: ActionSituation): AppError | null {
  if (!isAllowed(plan.status, action)) {
    return new InvalidPlanActionError(
      plan.status,
      action,
      action === 'edit' ? 'Only a draft plan can be edited.' : undefined,
    );
  }
  if (action === 'rollback' && plan.currentStage < 1) {
    return new InvalidPlanActionError(
      plan.status,
      action,
      'The plan is at its first stage; abort it to go back to the rollback percent.',
    );
  }
  if (MOVING_ACTIONS.includes(action)) {
    if (s.rolloutsPaused.on) {
      const why = s.rolloutsPaused.reason ? `: ${s.rolloutsPaused.reason}` : '.';
      return new ServiceDisabledError(
        'rollouts_paused',
        `Every rollout is paused by an admin${why} Pause, rollback and abort still work.`,
      );
    }
    if (s.flagArchived) return new ConflictError('The flag is archived; this plan can only be aborted.', plan.status);
    if (!s.flagEnabled)
      return new ConflictError(
        `Flag ${plan.flagKey} is switched off (kill switch); enable it before moving its rollout.`,
        plan.status,
      );
  }
  if (action === 'approve' && plan.createdBy.type === s.actor.type && plan.createdBy.id === s.actor.id) {
    return new ForbiddenError('A plan must be approved by an operator other than its author.');
  }
  return null;
}

/**
 * The actions the plan's state offers a person, each allowed or with the reason it is refused
 * now. Actions the state never offers (and rollback from the first stage) are left out.
 */
export function availableActions(plan: ActionPlan, s: ActionSituation): AvailableAction[] {
  return PERSON_ACTIONS.filter((a) => isAllowed(plan.status, a) && (a !== 'rollback' || plan.currentStage >= 1)).map(
    (action) => {
      const refusal = actionRefusal(plan, action, s);
      return refusal ? { action, allowed: false, reason: refusal.message } : { action, allowed: true };
    },
  );
}

const MAX_HOLD_SECONDS = 30 * 24 * 3600;

/**
 * The rules a plan's stages must follow; one detail per offending field, named like
 * `stages[1].percent`, so a 400 points at the stage to fix.
 */
export function validateStages(stages: Stage[], rollbackPercent: number): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (stages.length === 0) details.push({ path: 'stages', message: 'must have at least one stage' });
  stages.forEach((s, i) => {
    if (!(s.percent > 0 && isPercent(s.percent))) {
      details.push({
        path: `stages[${i}].percent`,
        message: 'must be greater than 0 and at most 100, in steps of 0.01',
      });
    } else if (i > 0 && s.percent <= stages[i - 1].percent) {
      details.push({
        path: `stages[${i}].percent`,
        message: `must be greater than stages[${i - 1}].percent (${stages[i - 1].percent})`,
      });
    }
    if (!Number.isInteger(s.holdSeconds) || s.holdSeconds < 0 || s.holdSeconds > MAX_HOLD_SECONDS) {
      details.push({
        path: `stages[${i}].holdSeconds`,
        message: `must be a whole number of seconds from 0 to ${MAX_HOLD_SECONDS}`,
      });
    }
  });
  if (!isPercent(rollbackPercent)) {
    details.push({ path: 'rollbackPercent', message: 'must be from 0 to 100, in steps of 0.01' });
  } else if (stages.length > 0 && stages[0].percent > 0 && rollbackPercent >= stages[0].percent) {
    details.push({ path: 'rollbackPercent', message: `must be less than stages[0].percent (${stages[0].percent})` });
  }
  return details;
}

/** True when the plan's next step is due (or overdue) at `now`. */
export function isDue(plan: { status: PlanStatus; nextAdvanceAt: Date | null }, now: Date): boolean {
  return (
    (plan.status === 'running' || plan.status === 'scheduled') &&
    plan.nextAdvanceAt !== null &&
    plan.nextAdvanceAt.getTime() <= now.getTime()
  );
}
