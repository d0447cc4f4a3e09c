import type { Rule, RuleInput } from '@/api/types';

export type RuleKind = Rule['kind'];

/** An editable rule: every kind's fields at once, so switching kind keeps what was typed. */
export interface RuleDraft {
  uid: number;
  kind: RuleKind;
  tenantIds: string[];
  segmentId: string | null;
  percent: number | null;
  stickiness: string;
  groupId?: string;
}

let uid = 0;

export function draftOf(rule: Rule | { kind: RuleKind }): RuleDraft {
  const d: RuleDraft = { uid: ++uid, kind: rule.kind, tenantIds: [], segmentId: null, percent: null, stickiness: 'targetingKey' };
  if ('tenantIds' in rule) d.tenantIds = [...rule.tenantIds];
  if ('segmentId' in rule && rule.segmentId) d.segmentId = rule.segmentId;
  if ('percent' in rule) {
    d.percent = rule.percent;
    d.stickiness = rule.stickiness;
    d.groupId = rule.groupId;
  }
  return d;
}

/** The rule PUT sends. Blank fields are sent as they are, so the API names what is missing. */
export function ruleOf(d: RuleDraft): RuleInput {
  switch (d.kind) {
    case 'tenant':
      return { kind: 'tenant', tenantIds: d.tenantIds };
    case 'segment':
      return { kind: 'segment', segmentId: d.segmentId ?? '' };
    case 'percent': {
      const rule: RuleInput = { kind: 'percent', percent: d.percent ?? -1, stickiness: d.stickiness.trim() || 'targetingKey' };
      if (d.groupId) rule.groupId = d.groupId;
      if (d.segmentId) rule.segmentId = d.segmentId;
      return rule;
    }
  }
}

export const isPlanOwned = (r: Rule): boolean => r.kind === 'percent' && r.planId !== undefined;

/** The rules a person edits (those no rollout plan owns), as PUT would send them. */
export function editableRules(rules: Rule[]): RuleInput[] {
  return rules.filter((r) => !isPlanOwned(r)).map((r) => ruleOf(draftOf(r)));
}

export const STICKINESS_OPTIONS = ['targetingKey', 'tenantId', 'userId', 'email'];
