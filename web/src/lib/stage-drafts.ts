import type { Stage } from '@/api/types';

export type HoldUnit = 's' | 'min' | 'h';
export const UNIT_SECONDS: Record<HoldUnit, number> = { s: 1, min: 60, h: 3600 };
export const UNIT_OPTIONS: { label: string; value: HoldUnit }[] = [
  { label: 'sec', value: 's' },
  { label: 'min', value: 'min' },
  { label: 'h', value: 'h' },
];

export interface StageDraft {
  uid: number;
  percent: number | null;
  hold: number | null;
  unit: HoldUnit;
  requiresApproval: boolean;
}

let uid = 0;

/** The largest unit that shows the hold as a whole number. */
export function draftOfStage(s: Stage): StageDraft {
  const unit: HoldUnit =
    s.holdSeconds > 0 && s.holdSeconds % 3600 === 0 ? 'h' : s.holdSeconds > 0 && s.holdSeconds % 60 === 0 ? 'min' : 's';
  return {
    uid: ++uid,
    percent: s.percent,
    hold: s.holdSeconds / UNIT_SECONDS[unit],
    unit,
    requiresApproval: s.requiresApproval,
  };
}

export function blankStage(): StageDraft {
  return { uid: ++uid, percent: null, hold: 1, unit: 'h', requiresApproval: false };
}

/** Blank numbers are sent as -1, so the API's stage rules name the field. */
export function stageOf(d: StageDraft): Stage {
  return {
    percent: d.percent ?? -1,
    holdSeconds: Math.round((d.hold ?? -1) * UNIT_SECONDS[d.unit]),
    requiresApproval: d.requiresApproval,
  };
}

/** The stage "add stage" appends after `last`: twice its percentage (100 at most), or blank after a blank one. */
export function stageAfter(last: StageDraft | undefined): StageDraft {
  const s = blankStage();
  if (last?.percent != null) s.percent = Math.min(100, last.percent * 2);
  return s;
}

/** The shortest time the plan takes: every hold but the final stage's (which has none). */
export function totalHoldSeconds(stages: StageDraft[]): number {
  return stages.slice(0, -1).reduce((sum, s) => sum + stageOf(s).holdSeconds, 0);
}

/** About how many evaluations a stage's percentage reaches ("≈ 1,250"), or '' without counted evaluations. */
export function reachOf(percent: number | null, usage: { evaluations: number } | null): string {
  if (percent === null || !usage || usage.evaluations === 0) return '';
  return `≈ ${Math.round((usage.evaluations * percent) / 100).toLocaleString('en')}`;
}

/** The API's messages for exactly `path` (`stages[1].percent`; `stages` alone means the list as a whole). */
export function messagesAt(details: readonly { path?: string; message: string }[] | undefined, path: string): string[] {
  return (details ?? []).filter((d) => d.path === path).map((d) => d.message);
}
