import { api } from './client';
import type { Flag, FlagDetail, Page } from './types';

export type FlagSort = 'key' | '-key' | 'updatedAt' | '-updatedAt' | 'createdAt' | '-createdAt';

export interface ListFlagsParams {
  q?: string;
  enabled?: boolean;
  tag?: string;
  sort?: FlagSort;
  limit?: number;
  cursor?: string | null;
}

export interface CreateFlagInput {
  key: string;
  description?: string;
  tags?: string[];
  enabled?: boolean;
}

export interface UpdateFlagInput {
  description?: string;
  tags?: string[];
}

const base = '/admin/feature-flags';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const flagsApi = {
  list: (params: ListFlagsParams = {}, signal?: AbortSignal) =>
    api.get<Page<Flag>>(base, {
      query: {
        q: params.q?.trim(),
        enabled: params.enabled,
        tag: params.tag,
        sort: params.sort,
        limit: params.limit,
        cursor: params.cursor,
      },
      signal,
    }),
  get: (id: string, signal?: AbortSignal) => api.get<FlagDetail>(one(id), { signal }),
  create: (input: CreateFlagInput) => api.post<Flag>(base, input),
  update: (id: string, input: UpdateFlagInput, version?: number) => api.patch<Flag>(one(id), input, { ifMatch: version }),
  enable: (id: string, reason?: string) => api.post<Flag>(`${one(id)}/actions/enable`, reason ? { reason } : {}),
  disable: (id: string, reason?: string) => api.post<Flag>(`${one(id)}/actions/disable`, reason ? { reason } : {}),
};
