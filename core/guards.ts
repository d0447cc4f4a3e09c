/**
 * Guards of a rollout plan (see the glossary's "guarded rollout"): what evidence a stage needs
 * before it moves on. Event guards compare the plan's two arms from SDK tracking events:
 * `treatment` (the units inside the plan's percent) and `control` (units that matched the plan
 * rule's constraints but fell outside its percent). A Prometheus guard checks one instant query
 * against a bound. Pure: shapes, defaults and small rules; the statistics are in guard-stats.ts.
 */

export const GUARD_KINDS = ['event_share', 'event_mean', 'prometheus'] as const;
export type GuardKind = (typeof GUARD_KINDS)[number];

export const GUARD_VERDICTS = ['insufficient_data', 'healthy', 'regression', 'inconclusive'] as const;
export type GuardVerdictName = (typeof GUARD_VERDICTS)[number];

export const ON_REGRESSION = ['pause', 'rollback'] as const;
export type OnRegression = (typeof ON_REGRESSION)[number];

export const ON_INSUFFICIENT_DATA = ['pause', 'advance'] as const;
export type OnInsufficientData = (typeof ON_INSUFFICIENT_DATA)[number];

export const DIRECTIONS = ['lower_is_better', 'higher_is_better'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const ARMS = ['treatment', 'control'] as const;
export type Arm = (typeof ARMS)[number];

/** `event_share`: per arm, the share of exposed units that sent the event at least once in the stage. `event_mean`: per arm, the mean of the units' mean value. */
export interface EventGuard {
  kind: 'event_share' | 'event_mean';
  event: string;
  /** A regression is a relative change worse than this, e.g. 0.10 = 10% more errors than control. */
  maxRelativeIncrease: number;
  minUnitsPerArm: number;
  direction: Direction;
  onRegression: OnRegression;
}

/** An instant query; a regression when its value is above `max` or below `min`. */
export interface PrometheusGuard {
  kind: 'prometheus';
  query: string;
  max?: number;
  min?: number;
  onRegression: OnRegression;
}

export type Guard = EventGuard | PrometheusGuard;

export interface GuardSettings {
  guards: Guard[];
  /** How often the worker checks the guards of a running plan. */
  guardCheckSeconds: number;
  /** What a stage does when its hold and its longest hold have passed without enough units. */
  onInsufficientData: OnInsufficientData;
  /** How long a stage may wait for enough units; null: three times its hold. */
  maxHoldSeconds: number | null;
}

export const GUARD_DEFAULTS = { guardCheckSeconds: 15, onInsufficientData: 'pause', minUnitsPerArm: 200 } as const;
export const MAX_GUARDS = 10;
/** A Prometheus guard pauses after this many inconclusive checks in a row (unreachable, empty result). */
export const INCONCLUSIVE_LIMIT = 3;
/** The sample-ratio check pauses the plan below this p-value. */
export const SRM_P_VALUE = 0.001;

export const isEventGuard = (g: Guard): g is EventGuard => g.kind !== 'prometheus';

/** The event names a plan's guards read: the track endpoint keeps only these, per plan. */
export function eventNamesOf(guards: readonly Guard[]): string[] {
  return [...new Set(guards.filter(isEventGuard).map((g) => g.event))];
}

/** A stage is guarded when the plan has guards and the stage leaves a control arm (below 100%). */
export function isGuardedStage(
  plan: { guards: readonly Guard[]; stages: readonly { percent: number }[] },
  stage: number,
): boolean {
  return plan.guards.length > 0 && stage >= 0 && stage < plan.stages.length && plan.stages[stage].percent < 100;
}

/** How long a stage may wait for enough units before `onInsufficientData` applies. */
export function maxHoldSecondsOf(settings: Pick<GuardSettings, 'maxHoldSeconds'>, holdSeconds: number): number {
  return settings.maxHoldSeconds ?? 3 * holdSeconds;
}
