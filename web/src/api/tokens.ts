import { api, getFresh } from './client';
import type { ApiToken, CreatedApiToken, Page, RequestBody } from './types';

export type CreateTokenInput = RequestBody<'createApiToken'>;

const base = '/admin/api-tokens';

export const tokensApi = {
  list: () => getFresh<Page<ApiToken>>(base, { query: { limit: 100 }, retries: 0 }),
  /** The secret is in this answer only; a replay of the same request answers `secret: null`. */
  create: (input: CreateTokenInput) => api.post<CreatedApiToken>(base, input, { retries: 0 }),
  revoke: (id: string, reason: string | undefined, idempotencyKey: string) =>
    api.post<ApiToken>(`${base}/${encodeURIComponent(id)}/actions/revoke`, reason ? { reason } : {}, {
      idempotencyKey,
    }),
};
