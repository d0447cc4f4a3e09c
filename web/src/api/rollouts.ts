import { api, getFresh } from './client';
import type {
  GuardChecks,
  Page,
  Plan,
  PlanActionVerb,
  PlanDetail,
  PlanStatus,
  RequestBody,
  RolloutTemplate,
} from './types';

export type CreatePlanInput = RequestBody<'createRolloutPlan'>;

const base = '/admin/rollout-plans';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const rolloutsApi = {
  /** `status`: one state or several (sent comma-separated, `status=running,paused`). */
  list: (
    params: {
      status?: PlanStatus | readonly PlanStatus[];
      flagId?: string;
      limit?: number;
      cursor?: string | null;
    } = {},
  ) =>
    getFresh<Page<Plan>>(base, {
      query: {
        status: [params.status ?? []].flat().join(',') || undefined,
        flagId: params.flagId,
        limit: params.limit ?? 100,
        cursor: params.cursor,
      },
      retries: 0,
    }),
  get: (id: string) => getFresh<PlanDetail>(one(id), { retries: 0 }),
  /** Every check of the plan's guards in one stage, oldest first (one row per guard per check). */
  guardChecks: (id: string, stage: number) =>
    getFresh<GuardChecks>(`${one(id)}/guard-checks`, { query: { stage }, retries: 0 }),
  templates: () => getFresh<{ items: RolloutTemplate[] }>('/admin/rollout-templates'),
  create: (input: CreatePlanInput) => api.post<Plan>(base, input),
  update: (id: string, input: RequestBody<'updateRolloutPlan'>, version: number) =>
    api.patch<Plan>(one(id), input, { ifMatch: version }),
  act: (id: string, verb: PlanActionVerb, reason: string | undefined, idempotencyKey: string) =>
    api.post<Plan>(`${one(id)}/actions/${verb}`, reason ? { reason } : {}, { idempotencyKey }),
};
