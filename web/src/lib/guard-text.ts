import type { AvailableAction, Guard, GuardEvidence, PlanActionVerb, PlanDetail, Transition } from '@/api/types';
import { formatPercent } from './format';

/** How the plan page and the audit log word guards, their checks and what a tripped guard did. */

type Verdict = GuardEvidence['verdict'];

export const VERDICT_LABELS: Record<Verdict, string> = {
  insufficient_data: 'Not enough data',
  healthy: 'Healthy',
  regression: 'Regression',
  inconclusive: 'Inconclusive',
};

/** PrimeVue Tag severities: a regression stands out. */
export const VERDICT_SEVERITY: Record<Verdict, 'secondary' | 'success' | 'danger' | 'warn'> = {
  insufficient_data: 'secondary',
  healthy: 'success',
  regression: 'danger',
  inconclusive: 'warn',
};

/** The pause reasons a guard gives, in words: a plan paused for one of them is shown in red. */
export const GUARD_PAUSE_LABELS: Record<string, string> = {
  GUARD_REGRESSION: 'a guard found a regression',
  SAMPLE_RATIO_MISMATCH: 'the arms do not match the percentage (sample ratio mismatch)',
  GUARD_INCONCLUSIVE: 'a guard could not be checked',
  INSUFFICIENT_DATA: 'not enough data by the longest hold',
};
export const isGuardPause = (reason: string | null | undefined): boolean =>
  !!reason && Object.hasOwn(GUARD_PAUSE_LABELS, reason);

const pct = (relative: number) => formatPercent(Math.round(relative * 10000) / 100);

/** One sentence: "Share of units sending checkout.error must not rise by more than 10%". */
export function describeGuard(g: Guard): string {
  if (g.kind === 'prometheus') {
    if (g.max !== undefined && g.min !== undefined) return `${g.query} must stay between ${g.min} and ${g.max}`;
    return g.max !== undefined ? `${g.query} must stay below ${g.max}` : `${g.query} must stay above ${g.min}`;
  }
  const what = g.kind === 'event_share' ? `Share of units sending ${g.event}` : `Mean ${g.event}`;
  const way = g.direction === 'higher_is_better' ? 'fall' : 'rise';
  return `${what} must not ${way} by more than ${pct(g.maxRelativeIncrease)}`;
}

/** An arm's value: a share as a percentage ("2.15%"), a mean as a number ("182.4"). */
export function formatArmValue(kind: GuardEvidence['kind'], value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (kind === 'event_share') return `${(value * 100).toFixed(value < 0.1 ? 2 : 1)}%`;
  return value.toLocaleString('en', { maximumFractionDigits: Math.abs(value) < 10 ? 3 : 1 });
}

/** A relative change with its sign: "+4.2%", "−12%". */
export function formatChange(x: number): string {
  const p = x * 100;
  const size = Number(Math.abs(p).toFixed(Math.abs(p) < 10 ? 1 : 0));
  if (size === 0) return '0%';
  return `${p < 0 ? '−' : '+'}${size}%`;
}

type Interval = NonNullable<GuardEvidence['interval']>;

/** "−1.0% to +9.5%". */
export const formatRange = (i: Interval): string => `${formatChange(i.lower)} to ${formatChange(i.upper)}`;

/** "+4.2% (−1.0% to +9.5%)": the estimate of (treatment − control) / control and its interval. */
export function describeInterval(i: GuardEvidence['interval']): string {
  return i ? `${formatChange(i.estimate)} (${formatRange(i)})` : 'no estimate yet';
}

const units = (n: number) => `${n.toLocaleString('en')} unit${n === 1 ? '' : 's'}`;

/** The sample-ratio check: the arms' units against what the stage's percent predicts. */
export function expectedTreatment(e: GuardEvidence): number | null {
  if (!e.arms) return null;
  return Math.round(((e.arms.treatment.units + e.arms.control.units) * e.percent) / 100);
}

/** One line of what a check saw, for the audit log and the plan's history. */
export function describeEvidence(e: GuardEvidence): string {
  const head = `${e.guard < 0 ? 'Sample ratio' : `Guard ${e.guard + 1}`} at ${formatPercent(e.percent)}: ${VERDICT_LABELS[e.verdict].toLowerCase()}`;
  if (e.kind === 'sample_ratio' && e.arms) {
    const p = e.value === null || e.value === undefined ? '' : `, p = ${e.value.toExponential(1)}`;
    return `${head}; ${e.arms.treatment.units.toLocaleString('en')} treatment vs ${units(e.arms.control.units)} in control (expected treatment ${expectedTreatment(e)?.toLocaleString('en')})${p}`;
  }
  if (e.kind === 'prometheus') {
    const value = e.value === null || e.value === undefined ? 'no value' : `= ${e.value}`;
    return `${head}; ${e.subject} ${value} (bound ${e.threshold ?? '—'})${e.note ? `: ${e.note}` : ''}`;
  }
  const arm = (a: { units: number; value: number | null }) => `${formatArmValue(e.kind, a.value)} of ${units(a.units)}`;
  const arms = e.arms ? `; treatment ${arm(e.arms.treatment)}, control ${arm(e.arms.control)}` : '';
  const allowed = e.threshold === undefined ? '' : `, ${pct(e.threshold)} allowed`;
  return `${head} (${e.subject})${arms}; change ${describeInterval(e.interval)}${allowed}`;
}

export interface Trip {
  transition: Transition;
  evidence: GuardEvidence | null;
  rolledBack: boolean;
}

/** The guard trip that put the plan where it is now: its latest transition, when a guard made it. */
export function currentTrip(plan: Pick<PlanDetail, 'status' | 'transitions'>): Trip | null {
  const t = plan.transitions[plan.transitions.length - 1];
  if (!t || (t.event !== 'guard_pause' && t.event !== 'guard_rollback') || t.toStatus !== plan.status) return null;
  return { transition: t, evidence: t.evidence ?? null, rolledBack: t.event === 'guard_rollback' };
}

const guardName = (e: GuardEvidence | null) => (e && e.guard >= 0 ? `guard ${e.guard + 1}` : 'a guard');

/** What happened, in one sentence. */
export function tripHeadline(trip: Trip, pauseReason: string | null): string {
  const t = trip.transition;
  if (trip.rolledBack)
    return `Rolled back to ${formatPercent(t.toPercent ?? 0)}: ${guardName(trip.evidence)} found a regression at ${formatPercent(t.fromPercent)}, and the plan ended.`;
  const at = `Paused at ${formatPercent(t.toPercent)}`;
  switch (pauseReason) {
    case 'SAMPLE_RATIO_MISMATCH':
      return `${at}: the arms' sizes do not match the stage's percentage, so the guards' data cannot be trusted.`;
    case 'GUARD_INCONCLUSIVE':
      return `${at}: ${guardName(trip.evidence)} could not be checked several times in a row.`;
    case 'INSUFFICIENT_DATA':
      return `${at}: not every guard had enough data by the end of the stage's longest hold.`;
    default:
      return `${at}: ${guardName(trip.evidence)} found a regression.`;
  }
}

const ADVICE: Partial<Record<PlanActionVerb, (p: PlanDetail) => string>> = {
  resume: (p) =>
    p.pauseReason === 'INSUFFICIENT_DATA'
      ? 'Resume holds this stage again, to collect more data.'
      : 'Resume holds this stage again from now; the guards keep checking it, so resume once the cause is fixed or understood.',
  retry: () => 'Retry runs the failed step again.',
  rollback: (p) =>
    `Roll back returns the flag to ${formatPercent(p.stages[p.currentStage - 1]?.percent)} and keeps the plan paused.`,
  abort: (p) =>
    `Abort ends the plan and sets the flag to its rollback percentage, ${formatPercent(p.rollbackPercent)}.`,
};

/** What the operator can do now, from the actions the API offers (and allows this reader). */
export function tripAdvice(plan: PlanDetail, actions: readonly AvailableAction[]): string[] {
  const offered = actions.filter((a) => a.action in ADVICE);
  const allowed = offered.filter((a) => a.allowed).map((a) => a.action as PlanActionVerb);
  if (allowed.length) return allowed.map((a) => ADVICE[a]!(plan));
  if (offered.length) {
    const verbs = offered.map((a) => (a.action === 'rollback' ? 'roll back' : a.action));
    const list = verbs.length > 1 ? `${verbs.slice(0, -1).join(', ')} or ${verbs[verbs.length - 1]}` : verbs[0];
    return [`An operator can ${list} it.`];
  }
  if (plan.status === 'aborted')
    return [
      `The plan has ended and the flag is back at ${formatPercent(plan.rollbackPercent)}. Fix the cause, then plan the rollout again.`,
    ];
  return [];
}
