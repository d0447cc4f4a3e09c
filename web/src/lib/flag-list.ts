import type { FlagSort } from '@/api/flags';
import type { EnabledFilter, RolloutFilter } from '@/stores/flags';
import { optionsOf } from './format';

/** The flags list: the filters and sorts its toolbar offers, and what the list says about itself. */

export interface Option<T> {
  label: string;
  value: T;
}

export const ENABLED_OPTIONS: Option<EnabledFilter>[] = optionsOf<EnabledFilter>({
  all: 'All',
  on: 'On',
  off: 'Off',
});
export const ROLLOUT_OPTIONS: Option<RolloutFilter>[] = optionsOf<RolloutFilter>({
  all: 'Any',
  active: 'Rolling out',
});
export const SORT_OPTIONS: Option<FlagSort>[] = optionsOf<FlagSort>({
  key: 'Key, A to Z',
  '-key': 'Key, Z to A',
  '-updatedAt': 'Recently updated',
  updatedAt: 'Least recently updated',
  '-createdAt': 'Newest',
  createdAt: 'Oldest',
});

export const valuesOf = <T>(options: Option<T>[]): T[] => options.map((o) => o.value);

/** A row shows this many tags, then "+N". */
export const MAX_TAGS_SHOWN = 3;

/** "1 flag", "12 flags". */
export function countFlags(n: number): string {
  return `${n} ${n === 1 ? 'flag' : 'flags'}`;
}

/** The toolbar's line on the list: "12 flags", or "Showing the first 50 flags" while more can be loaded; nothing for an empty list. */
export function listSummary(count: number, more: boolean): string {
  if (count === 0) return '';
  return more ? `Showing the first ${countFlags(count)}` : countFlags(count);
}

/** Why a filtered list is empty. */
export function noMatchText(q: string, rolloutOnly: boolean): string {
  if (rolloutOnly && !q) return 'No flag matching these filters has an active rollout.';
  return `Nothing matches ${q ? `“${q}”` : 'these filters'}.`;
}

/** The toast after a bulk change: "3 flags disabled". */
export function bulkSummary(count: number, enabled: boolean): string {
  return `${countFlags(count)} ${enabled ? 'enabled' : 'disabled'}`;
}
