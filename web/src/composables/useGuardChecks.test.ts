import { afterEach, describe, expect, it } from '@jest/globals';
import { ref } from 'vue';
import type { GuardCheck, GuardChecks } from '@/api/types';
import { deferred, inScope, settle, stopScopes } from './test-support';
import { useGuardChecks } from './useGuardChecks';

const checks = (stage: number, n: number): { data: GuardChecks } => ({
  data: { stage, checks: Array.from({ length: n }, (_, i) => ({ seq: i + 1, guard: 0, stage }) as GuardCheck) },
});
afterEach(stopScopes);

describe('useGuardChecks', () => {
  it('asks for the stage’s checks at once, and again when the plan moves to another stage', async () => {
    const asked: string[] = [];
    const key = ref({ planId: 'p1', stage: 0 });
    const state = inScope(() =>
      useGuardChecks({
        key: () => key.value,
        live: () => true,
        fetch: async (planId, stage) => {
          asked.push(`${planId}/${stage}`);
          return checks(stage, stage + 2);
        },
        intervalMs: 60_000,
      }),
    );
    await settle();
    expect(state.checks.value).toHaveLength(2);
    key.value = { planId: 'p1', stage: 1 };
    await settle();
    expect(asked).toEqual(['p1/0', 'p1/1']);
    expect(state.checks.value).toHaveLength(3);
  });

  it('when the stage changes while the old stage’s answer is on its way, then that answer is dropped', async () => {
    const key = ref({ planId: 'p1', stage: 0 });
    const answers = [deferred<{ data: GuardChecks }>(), deferred<{ data: GuardChecks }>()];
    const state = inScope(() =>
      useGuardChecks({
        key: () => key.value,
        live: () => true,
        fetch: (_id, stage) => answers[stage].promise,
        intervalMs: 60_000,
      }),
    );
    key.value = { planId: 'p1', stage: 1 };
    await settle();
    answers[0].resolve(checks(0, 5));
    await settle();
    expect(state.checks.value).toEqual([]);
    answers[1].resolve(checks(1, 1));
    await settle();
    expect(state.checks.value).toHaveLength(1);
  });

  it('asks once more when the guards stop watching the stage (the check that stopped it), and not before the plan starts', async () => {
    const live = ref(true);
    const stage = ref(-1);
    let asked = 0;
    inScope(() =>
      useGuardChecks({
        key: () => ({ planId: 'p1', stage: stage.value }),
        live: () => live.value,
        fetch: async (_id, s) => {
          asked++;
          return checks(s, 1);
        },
        intervalMs: 60_000,
      }),
    );
    await settle();
    expect(asked).toBe(0);
    stage.value = 0;
    await settle();
    expect(asked).toBe(1);
    live.value = false;
    await settle();
    expect(asked).toBe(2);
  });
});
