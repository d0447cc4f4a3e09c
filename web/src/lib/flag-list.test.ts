import { describe, expect, it } from '@jest/globals';
import { bulkSummary, countFlags, listSummary, noMatchText, SORT_OPTIONS, valuesOf } from './flag-list';

describe('flag-list', () => {
  it('counts flags in words', () => {
    expect(countFlags(1)).toBe('1 flag');
    expect(countFlags(12)).toBe('12 flags');
  });

  it('says nothing about an empty list, and "the first" while more can be loaded', () => {
    expect(listSummary(0, false)).toBe('');
    expect(listSummary(1, false)).toBe('1 flag');
    expect(listSummary(50, true)).toBe('Showing the first 50 flags');
  });

  it('says why a filtered list is empty: the search, the filters, or no active rollout', () => {
    expect(noMatchText('beta', false)).toBe('Nothing matches “beta”.');
    expect(noMatchText('beta', true)).toBe('Nothing matches “beta”.');
    expect(noMatchText('', false)).toBe('Nothing matches these filters.');
    expect(noMatchText('', true)).toBe('No flag matching these filters has an active rollout.');
  });

  it('sums up a bulk change', () => {
    expect(bulkSummary(1, true)).toBe('1 flag enabled');
    expect(bulkSummary(3, false)).toBe('3 flags disabled');
  });

  it('lists the values of the options, key first', () => {
    expect(valuesOf(SORT_OPTIONS)).toEqual(['key', '-key', '-updatedAt', 'updatedAt', '-createdAt', 'createdAt']);
  });
});
