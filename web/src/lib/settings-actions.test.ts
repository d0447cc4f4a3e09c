import { describe, expect, it } from '@jest/globals';
import { lastChange, SETTINGS_ACTIONS } from './settings-actions';
import { absoluteTime } from './time';

describe('settings actions', () => {
  it('the actions that stop something are the ones that ask for a reason', () => {
    const stopping = Object.entries(SETTINGS_ACTIONS)
      .filter(([, c]) => c.stops)
      .map(([a]) => a);
    expect(stopping).toEqual(['disable-writes', 'pause-rollouts']);
  });

  it('lastChange names who, when and why, and says nothing of a switch never changed', () => {
    const at = '2026-03-04T10:00:00.000Z';
    expect(lastChange(undefined)).toBe('');
    expect(lastChange({ changedAt: null, changedBy: 'ann', reason: 'x' })).toBe('');
    expect(lastChange({ changedAt: at, changedBy: 'ann@acme.test', reason: 'release freeze' })).toBe(
      `Last changed by ann@acme.test, ${absoluteTime(at)} — “release freeze”.`,
    );
    expect(lastChange({ changedAt: at, changedBy: null, reason: null })).toBe(
      `Last changed by someone, ${absoluteTime(at)}.`,
    );
  });
});
