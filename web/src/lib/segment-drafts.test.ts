import { describe, expect, it } from '@jest/globals';
import {
  blankConstraint,
  constraintDraftOf,
  firstConstraint,
  OPERATOR_OPTIONS,
  segmentBodyOf,
  takesList,
} from './segment-drafts';

describe('segment drafts', () => {
  it('a draft copies the constraint, values included, under a key of its own', () => {
    const values = ['DE'];
    const a = constraintDraftOf({ attribute: 'country', operator: 'in', values });
    const b = constraintDraftOf({ attribute: 'country', operator: 'in', values });
    expect(a).toMatchObject({ attribute: 'country', operator: 'in', values: ['DE'] });
    expect(a.uid).not.toBe(b.uid);
    a.values.push('FR');
    expect(values).toEqual(['DE']);
  });

  it('a new segment starts with a country list; "add" appends a blank equality', () => {
    expect(firstConstraint()).toMatchObject({ attribute: 'country', operator: 'in', values: [] });
    expect(blankConstraint()).toMatchObject({ attribute: '', operator: 'eq', values: [] });
  });

  it('the body trims the texts and leaves the row keys out', () => {
    const body = segmentBodyOf('  EU enterprise ', ' big ones ', [
      constraintDraftOf({ attribute: 'plan', operator: 'eq', values: ['enterprise'] }),
    ]);
    expect(body).toEqual({
      name: 'EU enterprise',
      description: 'big ones',
      constraints: [{ attribute: 'plan', operator: 'eq', values: ['enterprise'] }],
    });
  });

  it('operators are offered by label and code; list operators take several values', () => {
    expect(OPERATOR_OPTIONS.find((o) => o.value === 'num_gt')?.label).toBe('>  (num_gt)');
    expect(takesList('in')).toBe(true);
    expect(takesList('eq')).toBe(false);
  });
});
