import { defineStore } from 'pinia';
import { ref } from 'vue';
import { toApiError, type ApiError } from '@/api/client';
import { segmentsApi } from '@/api/segments';
import type { Segment } from '@/api/types';

/** The tenant's active segments, for pickers and for naming segments in rules. */
export const useSegmentsStore = defineStore('segments', () => {
  const items = ref<Segment[]>([]);
  const tenant = ref<string | null>(null);
  const loaded = ref(false);
  const error = ref<ApiError | null>(null);

  async function load(forTenant: string): Promise<void> {
    if (tenant.value !== forTenant) {
      items.value = [];
      loaded.value = false;
    }
    tenant.value = forTenant;
    try {
      const page = await segmentsApi.list({ limit: 500 });
      if (tenant.value !== forTenant) return;
      items.value = page.data.items;
      error.value = null;
      loaded.value = true;
    } catch (err) {
      if (tenant.value === forTenant) error.value = toApiError(err);
    }
  }

  function nameOf(id: string): string | undefined {
    return items.value.find((s) => s.id === id)?.name;
  }

  function reset(): void {
    items.value = [];
    tenant.value = null;
    loaded.value = false;
    error.value = null;
  }

  return { items, tenant, loaded, error, load, nameOf, reset };
});
