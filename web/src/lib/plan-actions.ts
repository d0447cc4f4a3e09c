import type { AvailableAction, Plan, PlanActionVerb } from '@/api/types';

/** How each plan action looks and what its confirmation says; whether it may be taken comes from the API (core's availableActions). */
export interface ActionInfo {
  label: string;
  icon: string;
  severity?: 'secondary' | 'success' | 'info' | 'warn' | 'danger' | 'contrast';
  /** What the confirmation says will happen. */
  explain: (plan: Plan) => string;
  /** Asks for a reason (kept in the audit log). */
  reason: boolean;
}

const next = (plan: Plan) => plan.stages[plan.currentStage + 1];
const pct = (p: number | undefined) => (p === undefined ? '—' : `${p}%`);

export const ACTIONS: Record<PlanActionVerb, ActionInfo> = {
  start: {
    label: 'Start',
    icon: 'pi pi-play',
    severity: 'success',
    reason: false,
    explain: (p) =>
      p.startAt && Date.parse(p.startAt) > Date.now()
        ? `The plan is scheduled and applies ${pct(p.stages[0]?.percent)} at its start time.`
        : `${p.flagKey} goes to ${pct(p.stages[0]?.percent)} now, then follows the stages.`,
  },
  pause: {
    label: 'Pause',
    icon: 'pi pi-pause',
    severity: 'warn',
    reason: true,
    explain: (p) => `${p.flagKey} stays at ${pct(p.currentPercent ?? undefined)} until someone resumes the plan.`,
  },
  resume: {
    label: 'Resume',
    icon: 'pi pi-play',
    severity: 'success',
    reason: false,
    explain: () => 'The current stage holds again from now, then the plan moves on.',
  },
  advance: {
    label: 'Advance now',
    icon: 'pi pi-forward',
    reason: true,
    explain: (p) => `${p.flagKey} goes to ${pct(next(p)?.percent)} now, skipping the rest of this stage's hold.`,
  },
  rollback: {
    label: 'Roll back',
    icon: 'pi pi-undo',
    severity: 'warn',
    reason: true,
    explain: (p) =>
      `${p.flagKey} goes back to ${pct(p.stages[p.currentStage - 1]?.percent)} and the plan is left paused.`,
  },
  abort: {
    label: 'Abort',
    icon: 'pi pi-times-circle',
    severity: 'danger',
    reason: true,
    explain: (p) =>
      p.currentStage < 0
        ? 'The plan ends without touching the flag.'
        : `The plan ends and ${p.flagKey} goes to its rollback percent, ${pct(p.rollbackPercent)}. This cannot be undone.`,
  },
  retry: {
    label: 'Retry',
    icon: 'pi pi-refresh',
    severity: 'success',
    reason: false,
    explain: () => 'The failed step runs again now.',
  },
  approve: {
    label: 'Approve',
    icon: 'pi pi-check',
    severity: 'success',
    reason: true,
    explain: (p) =>
      `${p.flagKey} goes to ${pct(next(p)?.percent)} now. Approving needs an operator other than the plan's author.`,
  },
};

/** The buttons to show: the API's actions without `edit`, which the page offers as its own button. */
export function buttonActions(actions: readonly AvailableAction[]): (AvailableAction & { action: PlanActionVerb })[] {
  return actions.filter((a): a is AvailableAction & { action: PlanActionVerb } => a.action !== 'edit');
}
