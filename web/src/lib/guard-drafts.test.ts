import { describe, expect, it } from '@jest/globals';
import type { Guard } from '@/api/types';
import {
  blankGuardForm,
  draftOfGuard,
  GUARD_PRESET_IDS,
  GUARD_PRESETS,
  guardDraft,
  guardFormOf,
  guardInput,
  guardOf,
  presetOf,
} from './guard-drafts';

const errorShare: Guard = {
  kind: 'event_share',
  event: 'checkout.error',
  maxRelativeIncrease: 0.1,
  minUnitsPerArm: 200,
  direction: 'lower_is_better',
  onRegression: 'pause',
};

describe('guard drafts', () => {
  it('turns each ready choice into the guard it words, with its tolerance and the default units', () => {
    const conversion = { ...guardDraft('conversion'), event: ' checkout.completed ' };
    expect(guardOf(conversion)).toEqual({
      kind: 'event_share',
      event: 'checkout.completed',
      maxRelativeIncrease: 0.05,
      minUnitsPerArm: 200,
      direction: 'higher_is_better',
      onRegression: 'pause',
    });
    expect(guardOf({ ...guardDraft('latency_mean'), event: 'checkout.latency_ms', onRegression: 'rollback' })).toEqual(
      expect.objectContaining({ kind: 'event_mean', maxRelativeIncrease: 0.2, onRegression: 'rollback' }),
    );
    expect(guardOf({ ...guardDraft('prom_min'), query: 'sum(up)', min: 3 })).toEqual({
      kind: 'prometheus',
      query: 'sum(up)',
      min: 3,
      onRegression: 'pause',
    });
    for (const id of GUARD_PRESET_IDS) expect(GUARD_PRESETS[id].label).toMatch(/must (not (rise|fall)|stay)/);
  });

  it('sends blank numbers as -1 and a blank bound as none, so the API names the field', () => {
    const blank = { ...guardDraft('error_share'), percent: null, minUnitsPerArm: null };
    expect(guardOf(blank)).toMatchObject({ event: '', maxRelativeIncrease: -1, minUnitsPerArm: -1 });
    expect(guardOf(guardDraft('prom_max'))).toEqual({ kind: 'prometheus', query: '', onRegression: 'pause' });
  });

  it('keeps a tolerance in hundredths of a percent without floating-point dust', () => {
    expect(guardOf({ ...guardDraft('error_share'), percent: 7.25 })).toMatchObject({ maxRelativeIncrease: 0.0725 });
    expect(draftOfGuard({ ...errorShare, maxRelativeIncrease: 0.07 }).percent).toBe(7);
  });

  it('reads a plan’s guards back into the rows that word them, and the same request comes out', () => {
    const guards: Guard[] = [
      errorShare,
      { ...errorShare, kind: 'event_mean', direction: 'higher_is_better', event: 'checkout.amount' },
      { kind: 'prometheus', query: 'q', max: 5, min: 1, onRegression: 'rollback' },
    ];
    expect(guards.map(presetOf)).toEqual(['error_share', 'order_value', 'prom_max']);
    const form = guardFormOf({ guards, guardCheckSeconds: 30, onInsufficientData: 'advance', maxHoldSeconds: 5400 });
    expect(form).toMatchObject({ guardCheckSeconds: 30, onInsufficientData: 'advance', maxHoldMinutes: 90 });
    expect(guardInput(form)).toEqual({
      guards,
      guardCheckSeconds: 30,
      onInsufficientData: 'advance',
      maxHoldSeconds: 5400,
    });
  });

  it('starts with no guards, the default check interval, pause, and three times each hold', () => {
    expect(guardInput(blankGuardForm())).toEqual({
      guards: [],
      guardCheckSeconds: 15,
      onInsufficientData: 'pause',
      maxHoldSeconds: null,
    });
    expect(guardInput({ ...blankGuardForm(), guardCheckSeconds: null }).guardCheckSeconds).toBe(15);
  });
});
