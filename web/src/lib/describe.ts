import type { Constraint, Operator, PlanStatus, Rule, Stage } from '@/api/types';
import { formatPercent } from './format';

export const OPERATOR_LABELS: Record<Operator, string> = {
  in: 'is one of',
  not_in: 'is not one of',
  eq: 'equals',
  neq: 'does not equal',
  starts_with: 'starts with',
  ends_with: 'ends with',
  contains: 'contains',
  num_gt: '>',
  num_gte: '≥',
  num_lt: '<',
  num_lte: '≤',
  semver_eq: 'version =',
  semver_gt: 'version >',
  semver_lt: 'version <',
  date_after: 'is after',
  date_before: 'is before',
};

/** Operators that take a list of values; the others take exactly one. */
export const LIST_OPERATORS: readonly Operator[] = ['in', 'not_in', 'starts_with', 'ends_with', 'contains'];

export function describeConstraint(c: Constraint): string {
  return `${c.attribute} ${OPERATOR_LABELS[c.operator] ?? c.operator} ${c.values.join(', ')}`;
}

export type SegmentNames = (id: string) => string | undefined;

const segmentName = (id: string, names?: SegmentNames) => names?.(id) ?? `segment ${id.slice(0, 8)}…`;

/** One line a person can read: "tenant is one of acme, globex", "10% of contexts by userId". */
export function describeRule(rule: Rule, names?: SegmentNames): string {
  switch (rule.kind) {
    case 'tenant':
      return `tenant is one of ${rule.tenantIds.join(', ')}`;
    case 'segment':
      return `in segment “${segmentName(rule.segmentId, names)}”`;
    case 'percent': {
      const who = rule.segmentId ? ` of segment “${segmentName(rule.segmentId, names)}”` : ' of contexts';
      const plan = rule.planId ? ' (rollout plan)' : '';
      return `${formatPercent(rule.percent)}${who} by ${rule.stickiness}${plan}`;
    }
  }
}

export const RULE_KIND_LABELS: Record<Rule['kind'], string> = {
  tenant: 'Tenants',
  segment: 'Segment',
  percent: 'Percentage',
};

export function describeStages(stages: Stage[]): string {
  return stages.map((s) => formatPercent(s.percent)).join(' → ');
}

export const PLAN_STATUS_LABELS: Record<PlanStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  running: 'Running',
  awaiting_approval: 'Awaiting approval',
  paused: 'Paused',
  failed: 'Failed',
  completed: 'Completed',
  aborted: 'Aborted',
};

/** PrimeVue Tag severities per plan state: failed and paused stand out. */
export const PLAN_STATUS_SEVERITY: Record<PlanStatus, string> = {
  draft: 'secondary',
  scheduled: 'info',
  running: 'info',
  awaiting_approval: 'warn',
  paused: 'warn',
  failed: 'danger',
  completed: 'success',
  aborted: 'secondary',
};

export const PAUSE_REASON_LABELS: Record<string, string> = {
  MANUAL: 'paused by a person',
  KILL_SWITCH: 'paused because the flag was switched off',
  ROLLED_BACK: 'rolled back one stage',
};
