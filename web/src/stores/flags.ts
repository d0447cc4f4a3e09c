import { defineStore } from 'pinia';
import { ref } from 'vue';
import { toApiError, type ApiError } from '@/api/client';
import { flagsApi, type CreateFlagInput } from '@/api/flags';
import type { Flag } from '@/api/types';

export type EnabledFilter = 'all' | 'on' | 'off';

export interface FlagFilters {
  q: string;
  enabled: EnabledFilter;
}

const PAGE_SIZE = 50;

export const useFlagsStore = defineStore('flags', () => {
  const items = ref<Flag[]>([]);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const loadingMore = ref(false);
  const loaded = ref(false);
  const error = ref<ApiError | null>(null);
  const loadMoreError = ref<ApiError | null>(null);
  const filters = ref<FlagFilters>({ q: '', enabled: 'all' });
  /** Which tenant the items belong to. */
  const tenant = ref<string | null>(null);

  // answers to an older request (an earlier search, another tenant) are dropped
  let generation = 0;
  let controller: AbortController | null = null;

  function params(cursor?: string | null) {
    const f = filters.value;
    return {
      q: f.q.trim() || undefined,
      enabled: f.enabled === 'all' ? undefined : f.enabled === 'on',
      sort: 'key' as const,
      limit: PAGE_SIZE,
      cursor: cursor ?? undefined,
    };
  }

  async function load(forTenant: string): Promise<void> {
    const gen = ++generation;
    controller?.abort();
    controller = new AbortController();
    if (tenant.value !== forTenant) {
      items.value = [];
      loaded.value = false;
    }
    tenant.value = forTenant;
    loading.value = true;
    loadingMore.value = false;
    error.value = null;
    loadMoreError.value = null;
    try {
      const page = await flagsApi.list(params(), controller.signal);
      if (gen !== generation) return;
      items.value = page.items;
      nextCursor.value = page.nextCursor;
      loaded.value = true;
    } catch (err) {
      if (gen !== generation || (err as Error)?.name === 'AbortError') return;
      error.value = toApiError(err);
      items.value = [];
      nextCursor.value = null;
    } finally {
      if (gen === generation) loading.value = false;
    }
  }

  async function loadMore(): Promise<void> {
    if (!nextCursor.value || loadingMore.value || loading.value) return;
    const gen = generation;
    loadingMore.value = true;
    loadMoreError.value = null;
    try {
      const page = await flagsApi.list(params(nextCursor.value));
      if (gen !== generation) return;
      const known = new Set(items.value.map((f) => f.id));
      items.value = [...items.value, ...page.items.filter((f) => !known.has(f.id))];
      nextCursor.value = page.nextCursor;
    } catch (err) {
      if (gen === generation) loadMoreError.value = toApiError(err);
    } finally {
      if (gen === generation) loadingMore.value = false;
    }
  }

  /** Puts a fresher copy of a flag in the list (after enable, disable or an edit). */
  function upsert(flag: Flag): void {
    const i = items.value.findIndex((f) => f.id === flag.id);
    if (i >= 0) {
      // never replace a newer copy with an older one
      if (items.value[i].version <= flag.version) items.value.splice(i, 1, flag);
    }
  }

  /** Forgets everything, e.g. when the user signs out. */
  function reset(): void {
    generation++;
    controller?.abort();
    items.value = [];
    nextCursor.value = null;
    loading.value = false;
    loadingMore.value = false;
    loaded.value = false;
    error.value = null;
    loadMoreError.value = null;
    filters.value = { q: '', enabled: 'all' };
    tenant.value = null;
  }

  async function create(input: CreateFlagInput): Promise<Flag> {
    return flagsApi.create(input);
  }

  return { items, nextCursor, loading, loadingMore, loaded, error, loadMoreError, filters, tenant, load, loadMore, upsert, reset, create };
});
