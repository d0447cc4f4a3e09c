import type { SettingsAction } from '@/api/settings';
import { absoluteTime } from './time';

export interface SettingsActionCopy {
  /** The confirmation's title. */
  title: string;
  /** The button's label, on the switch and in the confirmation. */
  label: string;
  icon: string;
  severity: 'danger' | 'success' | 'warn';
  /** What happens, said in the confirmation. */
  text: string;
  /** It stops something: its button is outlined, and the confirmation asks for a reason for the audit log. */
  stops: boolean;
}

/** The four settings switches, as their buttons and confirmations word them. */
export const SETTINGS_ACTIONS: Record<SettingsAction, SettingsActionCopy> = {
  'disable-writes': {
    title: 'Switch off changes in this tenant',
    label: 'Switch off',
    icon: 'pi pi-lock',
    severity: 'danger',
    text: 'Nobody can change flags, rules, segments or plans here until writes are switched on again. Reads and evaluation keep working.',
    stops: true,
  },
  'enable-writes': {
    title: 'Switch changes back on',
    label: 'Switch on',
    icon: 'pi pi-lock-open',
    severity: 'success',
    text: 'People with the right role can change things again.',
    stops: false,
  },
  'pause-rollouts': {
    title: 'Pause every rollout',
    label: 'Pause all',
    icon: 'pi pi-pause',
    severity: 'warn',
    text: 'In every tenant, the worker holds every plan at its current percentage. Pause, roll back and abort still work.',
    stops: true,
  },
  'resume-rollouts': {
    title: 'Let rollouts move again',
    label: 'Resume all',
    icon: 'pi pi-play',
    severity: 'success',
    text: 'Due steps are taken on the next pass of the reconciler.',
    stops: false,
  },
};

export interface SwitchChange {
  changedAt: string | null;
  changedBy: string | null;
  reason: string | null;
}

/** "Last changed by …, <when> — “reason”." under a switch; empty when it was never changed. */
export function lastChange(s: SwitchChange | undefined): string {
  if (!s?.changedAt) return '';
  return `Last changed by ${s.changedBy ?? 'someone'}, ${absoluteTime(s.changedAt)}${s.reason ? ` — “${s.reason}”` : ''}.`;
}
