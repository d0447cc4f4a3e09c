import { onScopeDispose, ref, watch, type Ref, type WritableComputedRef } from 'vue';
import { debounce } from '@/lib/debounce';
import { useRouteQuery } from './useRouteQuery';

export interface SearchQuery {
  /** What is in the search box. */
  text: Ref<string>;
  /** The search in the address (trimmed). */
  query: WritableComputedRef<string>;
  /** Writes what is typed to the address now (Enter). */
  flush(): void;
  /** Empties the box and forgets a search still waiting to be written. */
  clear(): void;
}

/**
 * A search box kept in a URL query parameter: what is typed goes to the address after a pause,
 * and back/forward or a pasted link shows what the address says.
 */
export function useSearchQuery(name: string, waitMs = 300): SearchQuery {
  const query = useRouteQuery<string>(name, '');
  const text = ref(query.value);
  const apply = debounce((typed: string) => (query.value = typed.trim()), waitMs);
  watch(text, (typed) => apply(typed));
  watch(query, (q) => {
    if (q !== text.value.trim()) text.value = q;
  });
  onScopeDispose(() => apply.cancel());

  return {
    text,
    query,
    flush: () => apply.flush(),
    clear: () => {
      apply.cancel();
      text.value = '';
    },
  };
}
