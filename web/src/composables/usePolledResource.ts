import { ref, watch, type Ref, type WatchSource } from 'vue';
import { toApiError, type ApiError } from '@/api/client';
import { usePoll } from '@/lib/poll';

export interface PolledResourceOptions<T> {
  /** Which resource (its id): when it changes, what is shown is dropped and the new one is asked for at once. */
  key: WatchSource<string>;
  /** Asks for the resource; with `getFresh` an unchanged answer is the very object shown, and nothing redraws. */
  fetch: (key: string) => Promise<{ data: T }>;
  intervalMs: number;
  /**
   * Sees every answer, with the one shown before it (to announce a change, or load what hangs off it);
   * awaited before the poll ends, and what it throws becomes `error`. `current()` turns false once the
   * key has changed: what it loaded by then belongs to the resource shown before.
   */
  onData?: (data: T, before: T | null, current: () => boolean) => unknown;
  /** Runs when the key changes (and at the start), to clear what hangs off the resource. */
  onReset?: () => void;
}

export interface PolledResource<T> {
  /** The resource as last answered; null until the first answer for the current key. */
  data: Ref<T | null>;
  error: Ref<ApiError | null>;
  /** Asks again now (after a write). */
  refresh(): Promise<void>;
}

/**
 * A detail screen's data: one resource polled, and an answer that arrives after the key changed
 * (another id in the address) dropped. A failed poll keeps what was shown beside the error.
 */
export function usePolledResource<T>(options: PolledResourceOptions<T>): PolledResource<T> {
  const data = ref<T | null>(null) as Ref<T | null>;
  const error = ref<ApiError | null>(null);
  let generation = 0;
  let key = '';

  async function load(): Promise<void> {
    const gen = generation;
    const current = () => gen === generation;
    try {
      const res = await options.fetch(key);
      if (!current()) return;
      const before = data.value;
      data.value = res.data;
      error.value = null;
      await options.onData?.(res.data, before, current);
    } catch (err) {
      if (current()) error.value = toApiError(err);
    }
  }

  const poller = usePoll(load, options.intervalMs);
  watch(
    options.key,
    (k) => {
      generation++;
      key = k;
      data.value = null;
      error.value = null;
      options.onReset?.();
      void poller.refresh();
    },
    { immediate: true },
  );

  return { data, error, refresh: poller.refresh };
}
