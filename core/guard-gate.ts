import type { Arm, Guard, GuardSettings, GuardVerdictName } from './guards';
import { INCONCLUSIVE_LIMIT, maxHoldSecondsOf, SRM_P_VALUE } from './guards';
import type { PauseReason } from './rollout-plan';

/**
 * What the guards' verdicts do to a plan. Pure: the worker's guard check asks `tripOf` whether
 * the plan stops now, and the due advance asks `gateOf` whether the stage may move on.
 */

/** What one check saw of one guard: stored with the check, shown on the plan page, carried by the trip. */
export interface GuardEvidence {
  /** The guard's index in the plan's guards; -1 for the sample-ratio check. */
  guard: number;
  kind: Guard['kind'] | 'sample_ratio';
  /** The event name or the Prometheus query. */
  subject: string;
  verdict: GuardVerdictName;
  stage: number;
  percent: number;
  checkedAt: string;
  /** Event guards: exposed units per arm and the arm's value (share of units with the event, or mean value). */
  arms?: Record<Arm, { units: number; value: number | null }>;
  /** Of (treatment − control) / control. */
  interval?: { estimate: number; lower: number; upper: number } | null;
  /** maxRelativeIncrease (event guards), max or min (Prometheus). */
  threshold?: number;
  /** Prometheus: the query's value; sample ratio: the p-value. */
  value?: number | null;
  /** Why a check was inconclusive or short of data, in words. */
  note?: string;
}

export interface Trip {
  event: 'guard_pause' | 'guard_rollback';
  pauseReason: PauseReason;
  /** The transition's reason: one line an operator reads in the log. */
  reason: string;
  evidence: GuardEvidence;
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${Math.round(x * 1000) / 10}%`;

function regressionReason(e: GuardEvidence): string {
  if (e.kind === 'prometheus')
    return `Guard ${e.guard + 1} (prometheus) regressed: ${e.subject} = ${e.value} beyond ${e.threshold}.`;
  const i = e.interval;
  const change = i ? ` ${pct(i.estimate)} vs control (interval ${pct(i.lower)} to ${pct(i.upper)})` : '';
  return `Guard ${e.guard + 1} (${e.kind} of ${e.subject}) regressed:${change}, beyond the ${Math.round((e.threshold ?? 0) * 100)}% allowed.`;
}

/**
 * Does this check stop the plan? A regression first (`rollback` wins over `pause` when several
 * regress), then a sample-ratio mismatch, then a Prometheus guard inconclusive
 * INCONCLUSIVE_LIMIT times in a row (`inconclusiveStreak[i]`, this check included).
 */
export function tripOf(
  guards: readonly Guard[],
  checks: readonly GuardEvidence[],
  inconclusiveStreak: readonly number[],
): Trip | null {
  const regressions = checks.filter((c) => c.guard >= 0 && c.verdict === 'regression');
  if (regressions.length > 0) {
    const rollback = regressions.find((c) => guards[c.guard].onRegression === 'rollback');
    const evidence = rollback ?? regressions[0];
    return {
      event: rollback ? 'guard_rollback' : 'guard_pause',
      pauseReason: 'GUARD_REGRESSION',
      reason: regressionReason(evidence),
      evidence,
    };
  }
  const srm = checks.find((c) => c.guard === -1 && c.verdict === 'regression');
  if (srm) {
    const arms = srm.arms!;
    const reason = `Sample ratio mismatch: ${arms.treatment.units} treatment vs ${arms.control.units} control units at ${srm.percent}% (p = ${srm.value?.toExponential(1)} < ${SRM_P_VALUE}); the guards' data cannot be trusted.`;
    return { event: 'guard_pause', pauseReason: 'SAMPLE_RATIO_MISMATCH', reason, evidence: srm };
  }
  const stuck = checks.find(
    (c) => c.guard >= 0 && c.verdict === 'inconclusive' && (inconclusiveStreak[c.guard] ?? 0) >= INCONCLUSIVE_LIMIT,
  );
  if (stuck) {
    const reason = `Guard ${stuck.guard + 1} (${stuck.kind}) was inconclusive ${INCONCLUSIVE_LIMIT} times in a row: ${stuck.note ?? 'no value'}.`;
    return { event: 'guard_pause', pauseReason: 'GUARD_INCONCLUSIVE', reason, evidence: stuck };
  }
  return null;
}

export type Gate =
  | { decision: 'advance' }
  | { decision: 'wait' }
  | { decision: 'pause'; pauseReason: 'INSUFFICIENT_DATA'; reason: string };

/**
 * At a guarded stage's due time (`dueAt`, when its hold ended): move on when every guard's latest
 * verdict is healthy; otherwise wait for more checks, until the stage has waited its longest hold
 * (`maxHoldSeconds`, from when the stage began), when `onInsufficientData` decides.
 */
export function gateOf(
  settings: Pick<GuardSettings, 'guards' | 'onInsufficientData' | 'maxHoldSeconds'>,
  holdSeconds: number,
  latest: readonly (GuardVerdictName | undefined)[],
  dueAt: Date,
  now: Date,
): Gate {
  if (settings.guards.every((_, i) => latest[i] === 'healthy')) return { decision: 'advance' };
  const stageBegan = dueAt.getTime() - holdSeconds * 1000;
  const deadline = stageBegan + maxHoldSecondsOf(settings, holdSeconds) * 1000;
  if (now.getTime() < deadline) return { decision: 'wait' };
  if (settings.onInsufficientData === 'advance') return { decision: 'advance' };
  const short = settings.guards.map((_, i) => i).filter((i) => latest[i] !== 'healthy');
  return {
    decision: 'pause',
    pauseReason: 'INSUFFICIENT_DATA',
    reason: `The stage waited its longest hold without every guard healthy (guard ${short.map((i) => i + 1).join(', ')}: ${short.map((i) => latest[i] ?? 'not checked').join(', ')}).`,
  };
}
