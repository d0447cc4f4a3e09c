import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { toApiError, type ApiError } from '@/api/client';
import { rolloutsApi } from '@/api/rollouts';
import { ACTIVE_PLAN_STATUSES, type Plan } from '@/api/types';

/** A finished plan still shows on its flag's row for a day, so a completed rollout does not vanish the moment it ends. */
const RECENT_MS = 24 * 3600_000;

const isActive = (p: Plan) => ACTIVE_PLAN_STATUSES.includes(p.status);

/**
 * The plan each flag row shows: its active plan, else its latest plan if that finished within
 * a day. Kept fresh by polling (ETag: unchanged lists cost a 304).
 */
export const usePlansStore = defineStore('plans', () => {
  const active = ref<Plan[]>([]);
  const recent = ref<Plan[]>([]);
  const tenant = ref<string | null>(null);
  const loaded = ref(false);
  const error = ref<ApiError | null>(null);
  let generation = 0;

  const byFlag = computed(() => {
    const map = new Map<string, Plan>();
    const now = Date.now();
    for (const p of recent.value) {
      if (isActive(p) || now - Date.parse(p.updatedAt) > RECENT_MS) continue;
      if (p.status !== 'completed' && p.status !== 'aborted') continue;
      const known = map.get(p.flagId);
      if (!known || known.updatedAt < p.updatedAt) map.set(p.flagId, p);
    }
    for (const p of active.value) map.set(p.flagId, p);
    return map;
  });

  const activeFlagIds = computed(() => [...new Set(active.value.map((p) => p.flagId))]);

  async function load(forTenant: string): Promise<void> {
    const gen = ++generation;
    if (tenant.value !== forTenant) {
      active.value = [];
      recent.value = [];
      loaded.value = false;
    }
    tenant.value = forTenant;
    try {
      // one list of every active state: a tenant has few active plans, and it answers 304 while it is unchanged
      const [page, latest] = await Promise.all([
        rolloutsApi.list({ status: ACTIVE_PLAN_STATUSES, limit: 500 }),
        rolloutsApi.list({ limit: 100 }),
      ]);
      if (gen !== generation) return;
      active.value = page.data.items;
      recent.value = latest.data.items;
      error.value = null;
      loaded.value = true;
    } catch (err) {
      if (gen === generation) error.value = toApiError(err);
    }
  }

  /** A plan the user just changed, shown before the next poll. */
  function upsert(plan: Plan): void {
    const without = (list: Plan[]) => list.filter((p) => p.id !== plan.id);
    active.value = isActive(plan) ? [...without(active.value), plan] : without(active.value);
    recent.value = [plan, ...without(recent.value)];
  }

  function reset(): void {
    generation++;
    active.value = [];
    recent.value = [];
    tenant.value = null;
    loaded.value = false;
    error.value = null;
  }

  return { active, recent, tenant, loaded, error, byFlag, activeFlagIds, load, upsert, reset };
});
