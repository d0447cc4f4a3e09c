import { z } from 'zod';
import { actorView } from '../audit/audit.schemas';
import { PAUSE_REASONS, PERSON_ACTIONS, PLAN_STATUSES } from '../../core/rollout-plan';
import { attributeName as stickiness, cursor, limit, reasonBody } from '../platform/schemas';

/** Shapes only; the rules between stages (increasing percents, ranges) are core's validateStages. */
export const stage = z.strictObject({
  percent: z.number(),
  holdSeconds: z.number(),
  requiresApproval: z.boolean().default(false),
});
const stages = z.array(stage).max(20);
const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const createPlanBody = z.strictObject({
  flagId: z.string().max(100),
  stages,
  startAt: isoDate.optional(),
  stickiness: stickiness.default('targetingKey'),
  rollbackPercent: z.number().default(0),
});
export type CreatePlanInput = z.output<typeof createPlanBody>;

export const updatePlanBody = z
  .strictObject({
    stages: stages.optional(),
    startAt: isoDate.nullable().optional(),
    stickiness: stickiness.optional(),
    rollbackPercent: z.number().optional(),
  })
  .refine(
    (b) => Object.values(b).some((v) => v !== undefined),
    'must change stages, startAt, stickiness or rollbackPercent',
  );
export type UpdatePlanInput = z.output<typeof updatePlanBody>;

/** Several statuses in one parameter, comma-separated (`status=running,paused`); a repeated parameter is refused. */
const statusList = z
  .string()
  .max(200)
  .meta({
    description: `One or more of ${PLAN_STATUSES.join(', ')}, comma-separated: status=running,paused`,
    example: 'running,paused',
  })
  .transform((s) => s.split(','))
  .pipe(z.array(z.enum(PLAN_STATUSES)).min(1));

export const listPlansQuery = z.strictObject({
  status: statusList.optional(),
  flagId: z.string().max(100).optional(),
  limit,
  cursor,
});
export type ListPlansQuery = z.output<typeof listPlansQuery>;

export const planActionBody = reasonBody;

export const failureView = z
  .object({ code: z.string(), message: z.string(), attempt: z.number().int(), at: z.string() })
  .meta({ id: 'FailureReason' });
export type FailureReason = z.infer<typeof failureView>;

export const planView = z
  .object({
    id: z.string(),
    flagId: z.string(),
    flagKey: z.string(),
    status: z.enum(PLAN_STATUSES),
    stages: z.array(z.object({ percent: z.number(), holdSeconds: z.number().int(), requiresApproval: z.boolean() })),
    stickiness: z.string(),
    currentStage: z.number().int(),
    currentPercent: z.number().nullable(),
    startAt: z.string().nullable(),
    nextAdvanceAt: z.string().nullable(),
    rollbackPercent: z.number(),
    pauseReason: z.enum(PAUSE_REASONS).nullable(),
    lastFailure: failureView.nullable(),
    attempts: z.number().int(),
    createdBy: actorView,
    approvedBy: actorView.nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'RolloutPlan' });
export type PlanView = z.infer<typeof planView>;

export const transitionView = z
  .object({
    seq: z.number().int(),
    event: z.string(),
    fromStatus: z.string(),
    toStatus: z.string(),
    fromStage: z.number().int(),
    toStage: z.number().int(),
    fromPercent: z.number().nullable(),
    toPercent: z.number().nullable(),
    actor: actorView,
    jobId: z.string().nullable(),
    attempt: z.number().int().nullable(),
    reason: z.string().nullable(),
    at: z.string(),
  })
  .meta({ id: 'PlanTransition' });
export type TransitionView = z.infer<typeof transitionView>;

export const planDetailView = planView
  .extend({
    transitions: z.array(transitionView),
    /** When the worker will next move the plan, unless "pause all rollouts" holds it. */
    nextDueAt: z.string().nullable(),
    heldByPauseAll: z.boolean(),
    /** The queued advance job, to find it in the job dashboard (/admin/queues). */
    job: z.object({ queue: z.string(), id: z.string(), state: z.string(), url: z.string() }).nullable(),
    /** What the reader may do now (core's availableActions): the actions the state offers, each allowed or with why not. */
    actions: z.array(z.object({ action: z.enum(PERSON_ACTIONS), allowed: z.boolean(), reason: z.string().optional() })),
  })
  .meta({ id: 'RolloutPlanDetail' });
export type PlanDetail = z.infer<typeof planDetailView>;

export const templateView = z
  .object({ id: z.string(), name: z.string(), stages: z.array(stage) })
  .meta({ id: 'RolloutTemplate' });
