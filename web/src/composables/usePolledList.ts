import { ref, watch, type Ref, type WatchSource } from 'vue';
import { toApiError, type ApiError, type Fresh } from '@/api/client';
import { usePoll } from '@/lib/poll';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PolledListOptions<T extends { id: string }> {
  /** The first page, asked again on every poll. */
  first: () => Promise<Fresh<Page<T>>>;
  /** A later page; without it the list has no "load more". */
  more?: (cursor: string) => Promise<Fresh<Page<T>>>;
  intervalMs: number;
  /** When one of these changes (tenant, filters) the list starts over, empty, and loads at once. */
  resetOn?: WatchSource[];
  /** When one of these changes the list asks again and drops answers still on their way, but keeps showing what it has. */
  restartOn?: WatchSource[];
  /**
   * What a poll keeps of the items shown besides the fresh first page (what "load more" added).
   * While it keeps something, the cursor stays where "load more" left it. Without it a poll replaces the list.
   */
  keep?: (fresh: T[], shown: T[]) => T[];
  /** Sees every page that arrives (to learn from it, or load what hangs off it); awaited before the poll ends. */
  onPage?: (items: T[]) => unknown;
}

export interface PolledList<T> {
  items: Ref<T[]>;
  nextCursor: Ref<string | null>;
  /** The first answer since the last reset has arrived. */
  loaded: Ref<boolean>;
  error: Ref<ApiError | null>;
  loadingMore: Ref<boolean>;
  loadMore(): Promise<void>;
  /** Asks again now (after a write). */
  refresh(): Promise<void>;
  /** Asks again now, ignoring any answer to an earlier question (a new search). */
  restart(): Promise<void>;
}

/** What a list's table reads of it (ListTable, SettingsTable): a PolledList, or a store adapted to this shape. */
export interface ListSource<T> {
  items: Readonly<Ref<T[]>>;
  loaded: Readonly<Ref<boolean>>;
  error: Readonly<Ref<ApiError | null>>;
  refresh(): unknown;
  nextCursor?: Readonly<Ref<string | null>>;
  loadingMore?: Readonly<Ref<boolean>>;
  loadMore?(): unknown;
}

/**
 * A list screen's data: the first page polled (an unchanged answer costs a 304 and no re-render),
 * "load more" by cursor, and an answer that arrives after the tenant or the filters changed is dropped.
 */
export function usePolledList<T extends { id: string }>(options: PolledListOptions<T>): PolledList<T> {
  const items = ref<T[]>([]) as Ref<T[]>;
  const nextCursor = ref<string | null>(null);
  const loaded = ref(false);
  const error = ref<ApiError | null>(null);
  const loadingMore = ref(false);
  let generation = 0;
  /** The first page last shown: a 304 gives back this very object, and nothing needs redrawing. */
  let lastFirst: Page<T> | null = null;

  async function load(): Promise<void> {
    const gen = generation;
    try {
      const res = await options.first();
      if (gen !== generation) return;
      error.value = null;
      const fresh = res.data.items;
      if (res.changed || res.data !== lastFirst || !loaded.value) {
        lastFirst = res.data;
        const kept = options.keep?.(fresh, items.value) ?? [];
        items.value = kept.length ? [...fresh, ...kept] : fresh;
        if (!kept.length) nextCursor.value = res.data.nextCursor;
      }
      loaded.value = true;
      await options.onPage?.(fresh);
    } catch (err) {
      if (gen === generation) error.value = toApiError(err);
    }
  }

  const poller = usePoll(load, options.intervalMs, { immediate: !options.resetOn });

  async function loadMore(): Promise<void> {
    const cursor = nextCursor.value;
    if (!cursor || !options.more || loadingMore.value) return;
    const gen = generation;
    loadingMore.value = true;
    try {
      const res = await options.more(cursor);
      if (gen !== generation) return;
      const shown = new Set(items.value.map((i) => i.id));
      items.value = [...items.value, ...res.data.items.filter((i) => !shown.has(i.id))];
      nextCursor.value = res.data.nextCursor;
      await options.onPage?.(res.data.items);
    } catch (err) {
      if (gen === generation) error.value = toApiError(err);
    } finally {
      loadingMore.value = false;
    }
  }

  function restart(): Promise<void> {
    generation++;
    lastFirst = null;
    return poller.refresh();
  }

  if (options.resetOn) {
    watch(
      options.resetOn,
      () => {
        items.value = [];
        nextCursor.value = null;
        loaded.value = false;
        error.value = null;
        void restart();
      },
      { immediate: true, deep: true },
    );
  }
  if (options.restartOn) watch(options.restartOn, () => void restart());

  return { items, nextCursor, loaded, error, loadingMore, loadMore, refresh: poller.refresh, restart };
}
