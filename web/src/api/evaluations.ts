import { api } from './client';
import type { ContextValue, FlagExplanation } from './types';

export const evaluationsApi = {
  /** The playground: the value for a context and why (read-only, though it is a POST). */
  explain: (context: Record<string, ContextValue>, flagKey?: string) =>
    api.post<{ items: FlagExplanation[] }>('/admin/evaluations', flagKey ? { context, flagKey } : { context }, {
      retries: 0,
    }),
};
