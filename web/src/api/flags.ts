import { api, getFresh } from './client';
import type { operations } from './schema';
import type { BulkItem, Flag, FlagDetail, FlagRules, FlagUsage, Page, RequestBody, RuleInput } from './types';

export type FlagSort = NonNullable<NonNullable<operations['listFlags']['parameters']['query']>['sort']>;

export interface ListFlagsParams {
  q?: string;
  enabled?: boolean;
  tag?: string;
  sort?: FlagSort;
  /** Only flags with an active rollout plan. */
  rollout?: 'active';
  limit?: number;
  cursor?: string | null;
}

export type CreateFlagInput = RequestBody<'createFlag'>;
export type UpdateFlagInput = RequestBody<'updateFlag'>;

const base = '/admin/feature-flags';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

const listQuery = (params: ListFlagsParams) => ({
  q: params.q?.trim(),
  enabled: params.enabled,
  tag: params.tag,
  sort: params.sort,
  rollout: params.rollout,
  limit: params.limit,
  cursor: params.cursor,
});

export const flagsApi = {
  list: (params: ListFlagsParams = {}, signal?: AbortSignal) =>
    api.get<Page<Flag>>(base, { query: listQuery(params), signal }),
  /** The same list for polling: unchanged answers come back as the same object. */
  listFresh: (params: ListFlagsParams = {}) => getFresh<Page<Flag>>(base, { query: listQuery(params), retries: 0 }),
  get: (id: string, signal?: AbortSignal) => api.get<FlagDetail>(one(id), { signal }),
  getFresh: (id: string) => getFresh<FlagDetail>(one(id), { retries: 0 }),
  create: (input: CreateFlagInput) => api.post<Flag>(base, input),
  update: (id: string, input: UpdateFlagInput, version?: number) =>
    api.patch<Flag>(one(id), input, { ifMatch: version }),
  enable: (id: string, reason?: string) => api.post<Flag>(`${one(id)}/actions/enable`, reason ? { reason } : {}),
  disable: (id: string, reason?: string) => api.post<Flag>(`${one(id)}/actions/disable`, reason ? { reason } : {}),
  /** Answered per id: a flag that cannot change says why, the others change. */
  bulk: (enabled: boolean, ids: string[], reason: string | undefined, idempotencyKey: string) =>
    api.post<{ items: BulkItem[] }>(
      `${base}/actions/${enabled ? 'enable' : 'disable'}`,
      reason ? { ids, reason } : { ids },
      { idempotencyKey },
    ),
  rules: (id: string) => getFresh<FlagRules>(`${one(id)}/rules`, { retries: 0 }),
  replaceRules: (id: string, rules: RuleInput[], version: number) =>
    api.put<FlagRules>(`${one(id)}/rules`, { rules }, { ifMatch: version }),
};

export type { FlagUsage };

export const flagUsageApi = {
  get: (id: string) => api.get<FlagUsage>(`${one(id)}/usage`, { retries: 0 }),
};
