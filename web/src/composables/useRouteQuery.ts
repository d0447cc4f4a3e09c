import { computed, type WritableComputedRef } from 'vue';
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router';

/** The query with `patch` applied: an empty or default value leaves the address. */
export function patchQuery(query: LocationQuery, patch: Record<string, string | null | undefined>): LocationQueryRaw {
  const next: LocationQueryRaw = { ...query };
  for (const [k, v] of Object.entries(patch)) {
    if (v) next[k] = v;
    else delete next[k];
  }
  return next;
}

/**
 * One query parameter as a ref: reading gives its value (or `fallback` when it is missing or not
 * one of `allowed`), writing replaces the address, and the fallback keeps the address clean.
 */
export function useRouteQuery<T extends string>(
  name: string,
  fallback: T,
  allowed?: readonly T[],
): WritableComputedRef<T> {
  const route = useRoute();
  const router = useRouter();
  return computed<T>({
    get: () => {
      const v = route.query[name];
      if (typeof v !== 'string' || !v) return fallback;
      return !allowed || allowed.includes(v as T) ? (v as T) : fallback;
    },
    set: (v) => void router.replace({ query: patchQuery(route.query, { [name]: v === fallback ? null : v }) }),
  });
}
