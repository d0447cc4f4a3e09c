import { z } from 'zod';
import type { Container } from '../../modules/platform/container';
import { ROLLOUT_TEMPLATES } from '../../modules/rollout-plans/rollout-templates';
import { PLAN_ACTION_VERBS, type PlanActionVerb } from '../../modules/rollout-plans/rollout-plans.service';
import {
  guardChecksQuery,
  guardChecksView,
  createPlanBody,
  listPlansQuery,
  planActionBody,
  planDetailView,
  planView,
  templateView,
  updatePlanBody,
} from '../../modules/rollout-plans/rollout-plans.schemas';
import { route } from '../http/route';
import { idParams, listOf } from '../../modules/platform/schemas';

const ACTION_SUMMARIES: Record<PlanActionVerb, string> = {
  start: 'Start a draft plan: it applies the first stage now, or is scheduled for its start time',
  pause: 'Pause a plan; it holds its current percent until resumed',
  resume: 'Resume a paused plan; the current stage holds again from now',
  advance: 'Apply the next stage now, skipping the rest of the hold (a gated stage then awaits approval)',
  rollback: 'Go back one stage; the plan is left paused',
  abort: "End the plan and set the flag's percent to the plan's rollback percent",
  retry: 'Run a failed plan again: its next step is due at once',
  approve: 'Approve a plan awaiting approval (an operator other than its author): it applies the next stage',
};

export function rolloutPlanRoutes(c: Container) {
  const action = (verb: PlanActionVerb) =>
    route({
      method: 'post',
      path: `/admin/rollout-plans/:id/actions/${verb}`,
      access: 'operator',
      tag: 'rollout-plans',
      operationId: `${verb}RolloutPlan`,
      summary: ACTION_SUMMARIES[verb],
      params: idParams,
      body: planActionBody,
      response: planView,
      handler: ({ params, body }, ctx) => c.rollouts.act(ctx.action(body.reason), params.id, verb, ctx.ifMatch),
    });
  return [
    route({
      method: 'get',
      path: '/admin/rollout-templates',
      access: 'viewer',
      tag: 'rollout-plans',
      operationId: 'listRolloutTemplates',
      summary: 'Ready-made stage lists to start a plan from',
      response: z.object({ items: z.array(templateView) }),
      handler: async () => ({ items: ROLLOUT_TEMPLATES }),
    }),
    route({
      method: 'get',
      path: '/admin/rollout-plans',
      access: 'viewer',
      tag: 'rollout-plans',
      operationId: 'listRolloutPlans',
      summary: 'List rollout plans, newest first (filters: status, flagId)',
      query: listPlansQuery,
      response: listOf(planView),
      handler: ({ query }, ctx) => c.rollouts.list(ctx.tenant.id, query),
    }),
    route({
      method: 'post',
      path: '/admin/rollout-plans',
      access: 'operator',
      tag: 'rollout-plans',
      operationId: 'createRolloutPlan',
      summary: 'Create a draft plan for a flag (stages: strictly increasing percents within (0, 100], holds ≥ 0 s)',
      body: createPlanBody,
      response: planView,
      status: 201,
      location: (p: { id: string }) => `/admin/rollout-plans/${p.id}`,
      handler: ({ body }, ctx) => c.rollouts.create(ctx.action(), body),
    }),
    route({
      method: 'get',
      path: '/admin/rollout-plans/:id',
      access: 'viewer',
      tag: 'rollout-plans',
      operationId: 'getRolloutPlan',
      summary: 'A plan with its transitions, the next due time, its queued job and the actions the caller may take now',
      params: idParams,
      response: planDetailView,
      handler: ({ params }, ctx) => c.rollouts.get(ctx.tenant.id, params.id, ctx.actor),
    }),
    route({
      method: 'get',
      path: '/admin/rollout-plans/:id/guard-checks',
      access: 'viewer',
      tag: 'rollout-plans',
      operationId: 'listGuardChecks',
      summary: "Every check of the plan's guards in one stage (default: the current one), oldest first",
      params: idParams,
      query: guardChecksQuery,
      response: guardChecksView,
      handler: ({ params, query }, ctx) => c.rollouts.guardChecks(ctx.tenant.id, params.id, query.stage),
    }),
    route({
      method: 'patch',
      path: '/admin/rollout-plans/:id',
      access: 'operator',
      tag: 'rollout-plans',
      operationId: 'updateRolloutPlan',
      summary: 'Edit a draft plan (send If-Match with the version you read)',
      params: idParams,
      body: updatePlanBody,
      response: planView,
      handler: ({ params, body }, ctx) => c.rollouts.update(ctx.action(), params.id, body, ctx.ifMatch),
    }),
    ...PLAN_ACTION_VERBS.map(action),
  ];
}
