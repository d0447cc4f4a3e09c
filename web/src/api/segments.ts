import { api, getFresh } from './client';
import type { Page, RequestBody, Segment, SegmentDetail } from './types';

export type SegmentInput = RequestBody<'createSegment'>;

const base = '/admin/segments';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const segmentsApi = {
  list: (params: { q?: string; limit?: number; cursor?: string | null } = {}) =>
    getFresh<Page<Segment>>(base, {
      query: { q: params.q?.trim(), limit: params.limit ?? 100, cursor: params.cursor },
      retries: 0,
    }),
  get: (id: string) => getFresh<SegmentDetail>(one(id), { retries: 0 }),
  create: (input: SegmentInput) => api.post<Segment>(base, input),
  update: (id: string, input: RequestBody<'updateSegment'>, version: number) =>
    api.patch<Segment>(one(id), input, { ifMatch: version }),
  archive: (id: string, reason: string | undefined, version: number, idempotencyKey: string) =>
    api.post<Segment>(`${one(id)}/actions/archive`, reason ? { reason } : {}, { ifMatch: version, idempotencyKey }),
};
