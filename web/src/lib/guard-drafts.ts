import type { CreatePlanInput } from '@/api/rollouts';
import { GUARD_DEFAULTS, type Guard, type Plan } from '@/api/types';

/**
 * The plan form's guards: ready choices worded for people ("Error share must not rise by more
 * than 10%"), each a draft row the form edits, and the request fields they become.
 */

export type GuardPresetId = 'error_share' | 'latency_mean' | 'conversion' | 'order_value' | 'prom_max' | 'prom_min';

export interface GuardPreset {
  /** The choice as the "Add guard" menu words it. */
  label: string;
  /** What the row's value is called ("Error share", "Prometheus query"). */
  name: string;
  kind: Guard['kind'];
  direction?: 'lower_is_better' | 'higher_is_better';
  /** Prometheus: which bound the row sets. */
  bound?: 'max' | 'min';
  /** The tolerance the choice starts with, in percent. */
  percent?: number;
  placeholder: string;
}

export const GUARD_PRESETS: Record<GuardPresetId, GuardPreset> = {
  error_share: {
    label: 'Error share must not rise by more than 10%',
    name: 'Error share',
    kind: 'event_share',
    direction: 'lower_is_better',
    percent: 10,
    placeholder: 'checkout.error',
  },
  latency_mean: {
    label: 'Mean latency must not rise by more than 20%',
    name: 'Mean latency',
    kind: 'event_mean',
    direction: 'lower_is_better',
    percent: 20,
    placeholder: 'checkout.latency_ms',
  },
  conversion: {
    label: 'Conversion must not fall by more than 5%',
    name: 'Conversion',
    kind: 'event_share',
    direction: 'higher_is_better',
    percent: 5,
    placeholder: 'checkout.completed',
  },
  order_value: {
    label: 'Mean order value must not fall by more than 5%',
    name: 'Mean value',
    kind: 'event_mean',
    direction: 'higher_is_better',
    percent: 5,
    placeholder: 'checkout.amount',
  },
  prom_max: {
    label: 'A Prometheus query must stay below a bound',
    name: 'Prometheus query',
    kind: 'prometheus',
    bound: 'max',
    placeholder: 'sum(rate(http_errors_total[1m]))',
  },
  prom_min: {
    label: 'A Prometheus query must stay above a bound',
    name: 'Prometheus query',
    kind: 'prometheus',
    bound: 'min',
    placeholder: 'sum(rate(orders_total[5m]))',
  },
};
export const GUARD_PRESET_IDS = Object.keys(GUARD_PRESETS) as GuardPresetId[];

export interface GuardDraft {
  uid: number;
  preset: GuardPresetId;
  /** Event guards: the event name the SDKs track, and the tolerance in percent. */
  event: string;
  percent: number | null;
  minUnitsPerArm: number | null;
  /** Prometheus guards: the query and its bounds (the preset's bound is the one the row edits). */
  query: string;
  max: number | null;
  min: number | null;
  onRegression: 'pause' | 'rollback';
}

/** The request fields the guards card edits (its errors show there). */
export const GUARD_FIELDS = ['guards', 'guardCheckSeconds', 'onInsufficientData', 'maxHoldSeconds'] as const;

export interface GuardFormValues {
  guards: GuardDraft[];
  guardCheckSeconds: number | null;
  onInsufficientData: 'pause' | 'advance';
  /** How long a stage may wait for enough data, in minutes; null: three times its hold. */
  maxHoldMinutes: number | null;
}

let uid = 0;

export function guardDraft(preset: GuardPresetId): GuardDraft {
  return {
    uid: ++uid,
    preset,
    event: '',
    percent: GUARD_PRESETS[preset].percent ?? null,
    minUnitsPerArm: GUARD_DEFAULTS.minUnitsPerArm,
    query: '',
    max: null,
    min: null,
    onRegression: 'pause',
  };
}

/** The choice that words an existing guard. */
export function presetOf(g: Guard): GuardPresetId {
  if (g.kind === 'prometheus') return g.max !== undefined ? 'prom_max' : 'prom_min';
  const higher = g.direction === 'higher_is_better';
  if (g.kind === 'event_share') return higher ? 'conversion' : 'error_share';
  return higher ? 'order_value' : 'latency_mean';
}

export function draftOfGuard(g: Guard): GuardDraft {
  const d = { ...guardDraft(presetOf(g)), onRegression: g.onRegression };
  if (g.kind === 'prometheus') return { ...d, query: g.query, max: g.max ?? null, min: g.min ?? null };
  return {
    ...d,
    event: g.event,
    percent: Math.round(g.maxRelativeIncrease * 10000) / 100,
    minUnitsPerArm: g.minUnitsPerArm,
  };
}

/** Blank numbers are sent as -1 (and a blank bound as none), so the API's rules name the field. */
export function guardOf(d: GuardDraft): Guard {
  const p = GUARD_PRESETS[d.preset];
  if (p.kind === 'prometheus') {
    return {
      kind: 'prometheus',
      query: d.query.trim(),
      ...(d.max !== null ? { max: d.max } : {}),
      ...(d.min !== null ? { min: d.min } : {}),
      onRegression: d.onRegression,
    };
  }
  return {
    kind: p.kind,
    event: d.event.trim(),
    maxRelativeIncrease: d.percent === null ? -1 : Math.round(d.percent * 100) / 10000,
    minUnitsPerArm: d.minUnitsPerArm ?? -1,
    direction: p.direction ?? 'lower_is_better',
    onRegression: d.onRegression,
  };
}

export function blankGuardForm(): GuardFormValues {
  return {
    guards: [],
    guardCheckSeconds: GUARD_DEFAULTS.guardCheckSeconds,
    onInsufficientData: GUARD_DEFAULTS.onInsufficientData,
    maxHoldMinutes: null,
  };
}

export function guardFormOf(p: Pick<Plan, 'guards' | 'guardCheckSeconds' | 'onInsufficientData' | 'maxHoldSeconds'>) {
  return {
    guards: p.guards.map(draftOfGuard),
    guardCheckSeconds: p.guardCheckSeconds,
    onInsufficientData: p.onInsufficientData,
    maxHoldMinutes: p.maxHoldSeconds === null ? null : p.maxHoldSeconds / 60,
  } satisfies GuardFormValues;
}

/** The plan request's guard fields; a blank check interval is the default one. */
export function guardInput(
  v: GuardFormValues,
): Pick<CreatePlanInput, 'guards' | 'guardCheckSeconds' | 'onInsufficientData' | 'maxHoldSeconds'> {
  return {
    guards: v.guards.map(guardOf),
    guardCheckSeconds: v.guardCheckSeconds ?? GUARD_DEFAULTS.guardCheckSeconds,
    onInsufficientData: v.onInsufficientData,
    maxHoldSeconds: v.maxHoldMinutes === null ? null : Math.round(v.maxHoldMinutes * 60),
  };
}
