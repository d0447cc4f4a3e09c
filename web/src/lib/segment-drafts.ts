import { OPERATORS, type Constraint, type Operator } from '@/api/types';
import { LIST_OPERATORS, OPERATOR_LABELS } from './describe';

/** An editable constraint; `uid` keys its row and its inputs' ids while rows come and go. */
export interface ConstraintDraft extends Constraint {
  uid: number;
}

let uid = 0;

export function constraintDraftOf(c: Constraint): ConstraintDraft {
  return { uid: ++uid, attribute: c.attribute, operator: c.operator, values: [...c.values] };
}

/** What a new segment starts with: one constraint, on the attribute most segments use. */
export const firstConstraint = (): ConstraintDraft =>
  constraintDraftOf({ attribute: 'country', operator: 'in', values: [] });
/** The row "Add constraint" appends. */
export const blankConstraint = (): ConstraintDraft => constraintDraftOf({ attribute: '', operator: 'eq', values: [] });

export interface SegmentBody {
  name: string;
  description: string;
  constraints: Constraint[];
}

/** The segment as a POST or PUT sends it: trimmed texts, and the constraints without their row keys. */
export function segmentBodyOf(name: string, description: string, constraints: Constraint[]): SegmentBody {
  return {
    name: name.trim(),
    description: description.trim(),
    constraints: constraints.map((c) => ({ attribute: c.attribute, operator: c.operator, values: c.values })),
  };
}

/** The attributes the picker offers; any other can be typed. */
export const SEGMENT_ATTRIBUTES = [
  'tenantId',
  'targetingKey',
  'userId',
  'email',
  'country',
  'plan',
  'appVersion',
  'signupDate',
];

export const OPERATOR_OPTIONS = OPERATORS.map((o) => ({ label: `${OPERATOR_LABELS[o]}  (${o})`, value: o }));

export const takesList = (op: Operator): boolean => LIST_OPERATORS.includes(op);
