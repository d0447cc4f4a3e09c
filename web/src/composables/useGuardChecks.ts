import { ref, watch, type Ref } from 'vue';
import { toApiError, type ApiError } from '@/api/client';
import type { GuardChecks } from '@/api/types';
import { usePoll } from '@/lib/poll';

export interface GuardChecksSource {
  /** The plan and the stage whose checks to show; null before the plan has loaded. */
  key: () => { planId: string; stage: number } | null;
  /** Whether new checks may arrive: the guards watch the stage (the plan is running or awaiting approval). */
  live: () => boolean;
  fetch: (planId: string, stage: number) => Promise<{ data: GuardChecks }>;
  intervalMs: number;
}

export interface GuardChecksState {
  checks: Ref<GuardChecks['checks']>;
  error: Ref<ApiError | null>;
  refresh(): Promise<void>;
}

/**
 * The checks of the stage a plan holds: asked for when the plan or its stage changes, polled
 * while the stage is watched, and asked once more when it stops being watched (the check that
 * tripped it). An answer for a stage no longer shown is dropped.
 */
export function useGuardChecks(source: GuardChecksSource): GuardChecksState {
  const checks = ref<GuardChecks['checks']>([]);
  const error = ref<ApiError | null>(null);
  let generation = 0;

  async function load(): Promise<void> {
    const key = source.key();
    if (!key || key.stage < 0) return;
    const gen = generation;
    try {
      const res = await source.fetch(key.planId, key.stage);
      if (gen !== generation) return;
      checks.value = res.data.checks;
      error.value = null;
    } catch (err) {
      if (gen === generation) error.value = toApiError(err);
    }
  }

  usePoll(() => (source.live() ? load() : Promise.resolve()), source.intervalMs);
  watch(
    () => {
      const k = source.key();
      return k ? `${k.planId}/${k.stage}` : '';
    },
    () => {
      generation++;
      checks.value = [];
      error.value = null;
      void load();
    },
    { immediate: true },
  );
  watch(source.live, (live, before) => {
    if (before && !live) void load();
  });

  return { checks, error, refresh: load };
}
