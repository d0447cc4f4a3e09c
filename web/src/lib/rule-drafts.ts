import type { ApiError } from '@/api/client';
import type { Rule, RuleInput } from '@/api/types';
import { RULE_KIND_LABELS } from './describe';

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
  const d: RuleDraft = {
    uid: ++uid,
    kind: rule.kind,
    tenantIds: [],
    segmentId: null,
    percent: null,
    stickiness: 'targetingKey',
  };
  if ('tenantIds' in rule) d.tenantIds = [...rule.tenantIds];
  if ('segmentId' in rule && rule.segmentId) d.segmentId = rule.segmentId;
  if ('percent' in rule) {
    d.percent = rule.percent;
    d.stickiness = rule.stickiness;
    d.groupId = rule.groupId;
  }
  return d;
}

/** A rule added by hand: a percentage rule starts at 10%. */
export function newDraft(kind: RuleKind): RuleDraft {
  const d = draftOf({ kind });
  if (kind === 'percent') d.percent = 10;
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
      const rule: RuleInput = {
        kind: 'percent',
        percent: d.percent ?? -1,
        stickiness: d.stickiness.trim() || 'targetingKey',
      };
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

/** Moves item `i` one place up (-1) or down (1); at either end nothing moves. */
export function moveItem<T>(list: T[], i: number, by: -1 | 1): void {
  const j = i + by;
  if (j < 0 || j >= list.length) return;
  [list[i], list[j]] = [list[j], list[i]];
}

/** Only what the API cannot say well: a field left empty, by draft uid. */
export function findBlanks(drafts: RuleDraft[]): Record<number, string> {
  const out: Record<number, string> = {};
  for (const d of drafts) {
    if (d.kind === 'percent' && d.percent === null) out[d.uid] = 'Enter a percentage.';
    if (d.kind === 'segment' && !d.segmentId) out[d.uid] = 'Choose a segment.';
  }
  return out;
}

/** The API's messages about one field of rule `i` (`rules[i].field`). */
export function fieldErrors(error: ApiError | null, i: number, field: string): string[] {
  return error?.messagesFor(`rules[${i}].${field}`) ?? [];
}

/** The API's messages about rule `i` as a whole (or its kind). */
export function ruleErrors(error: ApiError | null, i: number): string[] {
  if (!error) return [];
  return error.details.filter((d) => d.path === `rules[${i}]` || d.path === `rules[${i}].kind`).map((d) => d.message);
}

export const KIND_OPTIONS = (Object.keys(RULE_KIND_LABELS) as RuleKind[]).map((k) => ({
  label: RULE_KIND_LABELS[k],
  value: k,
}));

export const STICKINESS_OPTIONS = ['targetingKey', 'tenantId', 'userId', 'email'];
