import { describe, expect, it } from '@jest/globals';
import { ApiError } from '@/api/client';
import type { Rule } from '@/api/types';
import {
  draftOf,
  editableRules,
  fieldErrors,
  findBlanks,
  isPlanOwned,
  KIND_OPTIONS,
  moveItem,
  newDraft,
  ruleErrors,
  ruleOf,
} from './rule-drafts';

const percent = (extra: Partial<Extract<Rule, { kind: 'percent' }>> = {}): Rule =>
  ({ kind: 'percent', percent: 25, stickiness: 'userId', ...extra }) as Rule;

describe('rule drafts', () => {
  it('when a rule becomes a draft and back, then PUT gets the same rule', () => {
    const rules: Rule[] = [
      { kind: 'tenant', tenantIds: ['acme', 'globex'] },
      { kind: 'segment', segmentId: 'seg-1' },
      percent({ groupId: 'g-1', segmentId: 'seg-2' }),
    ];
    expect(rules.map((r) => ruleOf(draftOf(r)))).toEqual(rules);
  });

  it('when the kind of a draft changes, then it is sent with that kind’s fields only', () => {
    const d = draftOf({ kind: 'tenant', tenantIds: ['acme'] });
    d.kind = 'segment';
    expect(ruleOf(d)).toEqual({ kind: 'segment', segmentId: '' });
    d.kind = 'percent';
    d.stickiness = '  ';
    expect(ruleOf(d)).toEqual({ kind: 'percent', percent: -1, stickiness: 'targetingKey' });
  });

  it('when a rule is added, then a percentage starts at 10% and every draft has its own uid', () => {
    expect(newDraft('percent')).toMatchObject({ kind: 'percent', percent: 10, stickiness: 'targetingKey' });
    expect(newDraft('tenant')).toMatchObject({ kind: 'tenant', tenantIds: [], percent: null });
    expect(newDraft('segment').uid).not.toBe(newDraft('segment').uid);
  });

  it('when a rollout plan owns a rule, then it is not among the editable ones', () => {
    const planned = percent({ planId: 'plan-1' });
    expect(isPlanOwned(planned)).toBe(true);
    expect(editableRules([planned, { kind: 'segment', segmentId: 's' }])).toEqual([
      { kind: 'segment', segmentId: 's' },
    ]);
  });

  it('when a draft moves, then it swaps with its neighbour, and at either end nothing moves', () => {
    const list = ['a', 'b', 'c'];
    moveItem(list, 0, 1);
    expect(list).toEqual(['b', 'a', 'c']);
    moveItem(list, 2, -1);
    expect(list).toEqual(['b', 'c', 'a']);
    moveItem(list, 0, -1);
    moveItem(list, 2, 1);
    expect(list).toEqual(['b', 'c', 'a']);
  });

  it('when a percentage or a segment is left empty, then the draft is named with what to fill in', () => {
    const p = draftOf({ kind: 'percent' });
    const s = draftOf({ kind: 'segment' });
    const t = draftOf({ kind: 'tenant' });
    expect(findBlanks([p, s, t, newDraft('percent')])).toEqual({
      [p.uid]: 'Enter a percentage.',
      [s.uid]: 'Choose a segment.',
    });
  });

  it('when the API refuses rules, then each message goes to its rule and field', () => {
    const error = new ApiError({
      code: 'VALIDATION_FAILED',
      message: 'invalid',
      status: 422,
      details: [
        { path: 'rules[0].percent', message: 'between 0–100' },
        { path: 'rules[1]', message: 'unknown rule' },
        { path: 'rules[1].kind', message: 'bad kind' },
        { path: 'rules[10].percent', message: 'other rule' },
      ],
    });
    expect(fieldErrors(error, 0, 'percent')).toEqual(['between 0–100']);
    expect(fieldErrors(error, 1, 'percent')).toEqual([]);
    expect(ruleErrors(error, 1)).toEqual(['unknown rule', 'bad kind']);
    expect(ruleErrors(error, 0)).toEqual([]);
    expect(fieldErrors(null, 0, 'percent')).toEqual([]);
    expect(ruleErrors(null, 0)).toEqual([]);
  });

  it('offers every kind of rule by its label', () => {
    expect(KIND_OPTIONS).toEqual([
      { label: 'Tenants', value: 'tenant' },
      { label: 'Segment', value: 'segment' },
      { label: 'Percentage', value: 'percent' },
    ]);
  });
});
