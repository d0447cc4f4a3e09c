import { defineStore } from 'pinia';
import { ref } from 'vue';
import { toApiError, type ApiError } from '@/api/client';
import { flagsApi, type CreateFlagInput, type FlagSort, type ListFlagsParams } from '@/api/flags';
import type { Flag } from '@/api/types';

export type EnabledFilter = 'all' | 'on' | 'off';
export type RolloutFilter = 'all' | 'active';

export interface FlagFilters {
  q: string;
  enabled: EnabledFilter;
  tag: string;
  sort: FlagSort;
  /** `active`: only flags with an active rollout plan (the API filters: `rollout=active`). */
  rollout: RolloutFilter;
}

export const DEFAULT_FILTERS: FlagFilters = { q: '', enabled: 'all', tag: '', sort: 'key', rollout: 'all' };

const PAGE_SIZE = 50;
const MAX_LIMIT = 500;

export const useFlagsStore = defineStore('flags', () => {
  const items = ref<Flag[]>([]);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const loadingMore = ref(false);
  const loaded = ref(false);
  const error = ref<ApiError | null>(null);
  const loadMoreError = ref<ApiError | null>(null);
  const filters = ref<FlagFilters>({ ...DEFAULT_FILTERS });
  /** Which tenant the items belong to. */
  const tenant = ref<string | null>(null);
  /** Tags seen in this tenant, for the tag filter. */
  const knownTags = ref<string[]>([]);

  // answers to an older request (an earlier search, another tenant) are dropped
  let generation = 0;
  let controller: AbortController | null = null;

  function params(cursor?: string | null, limit = PAGE_SIZE): ListFlagsParams {
    const f = filters.value;
    return {
      q: f.q.trim() || undefined,
      enabled: f.enabled === 'all' ? undefined : f.enabled === 'on',
      tag: f.tag || undefined,
      sort: f.sort,
      rollout: f.rollout === 'active' ? 'active' : undefined,
      limit,
      cursor: cursor ?? undefined,
    };
  }

  function learnTags(flags: Flag[]): void {
    const all = new Set(knownTags.value);
    for (const f of flags) for (const t of f.tags) all.add(t);
    if (all.size !== knownTags.value.length) knownTags.value = [...all].sort();
  }

  /** Drops the answers to every earlier request, and their errors; returns the new generation. */
  function startOver(isLoading: boolean): number {
    controller?.abort();
    loading.value = isLoading;
    loadingMore.value = false;
    error.value = null;
    loadMoreError.value = null;
    return ++generation;
  }

  function forgetTenant(): void {
    items.value = [];
    knownTags.value = [];
    loaded.value = false;
  }

  async function load(forTenant: string): Promise<void> {
    const gen = startOver(true);
    controller = new AbortController();
    if (tenant.value !== forTenant) forgetTenant();
    tenant.value = forTenant;
    try {
      const page = await flagsApi.list(params(), controller.signal);
      if (gen !== generation) return;
      items.value = page.items;
      nextCursor.value = page.nextCursor;
      learnTags(items.value);
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

  /**
   * Polling: asks again for what is on screen (as many rows as are loaded), and replaces the
   * list only when the answer changed. A failure keeps the rows and says nothing; the next
   * poll tries again.
   */
  async function refresh(): Promise<void> {
    if (!tenant.value || loading.value || loadingMore.value || error.value) return;
    const gen = generation;
    const limit = Math.min(MAX_LIMIT, Math.max(PAGE_SIZE, items.value.length));
    const page = await flagsApi.listFresh(params(null, limit));
    if (gen !== generation || !page.changed) return;
    items.value = page.data.items;
    nextCursor.value = page.data.nextCursor;
    learnTags(items.value);
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
      learnTags(page.items);
    } catch (err) {
      if (gen === generation) loadMoreError.value = toApiError(err);
    } finally {
      if (gen === generation) loadingMore.value = false;
    }
  }

  /** Puts a fresher copy of a flag in the list (after enable, disable or an edit). */
  function upsert(flag: Flag): void {
    const i = items.value.findIndex((f) => f.id === flag.id);
    // never replace a newer copy with an older one
    if (i >= 0 && items.value[i].version <= flag.version) items.value.splice(i, 1, flag);
  }

  /** Forgets everything, e.g. when the user signs out. */
  function reset(): void {
    startOver(false);
    forgetTenant();
    nextCursor.value = null;
    filters.value = { ...DEFAULT_FILTERS };
    tenant.value = null;
  }

  async function create(input: CreateFlagInput): Promise<Flag> {
    return flagsApi.create(input);
  }

  return {
    items,
    nextCursor,
    loading,
    loadingMore,
    loaded,
    error,
    loadMoreError,
    filters,
    tenant,
    knownTags,
    load,
    refresh,
    loadMore,
    upsert,
    reset,
    create,
  };
});
