import { z } from 'zod';
import { actorView } from '../audit/audit.schemas';
import {
  DIRECTIONS,
  GUARD_DEFAULTS,
  GUARD_VERDICTS,
  MAX_GUARDS,
  ON_INSUFFICIENT_DATA,
  ON_REGRESSION,
} from '../../core/guards';
import { PAUSE_REASONS, PERSON_ACTIONS, PLAN_STATUSES } from '../../core/rollout-plan';
import { flagKey } from '../flags/flags.schemas';
import { attributeName as stickiness, cursor, limit, reasonBody } from '../platform/schemas';

/** Shapes only; the rules between stages (increasing percents, ranges) are core's validateStages. */
export const stage = z.strictObject({
  percent: z.number(),
  holdSeconds: z.number(),
  requiresApproval: z.boolean().default(false),
});
const stages = z.array(stage).max(20);

const onRegression = z.enum(ON_REGRESSION).default('pause');
const eventGuard = z.strictObject({
  kind: z.enum(['event_share', 'event_mean']),
  /** An event name the SDKs send to /ofrep/v1/track (the flag-key pattern). */
  event: flagKey,
  maxRelativeIncrease: z.number().min(0).max(10),
  minUnitsPerArm: z.number().int().min(20).max(1_000_000).default(GUARD_DEFAULTS.minUnitsPerArm),
  direction: z.enum(DIRECTIONS).default('lower_is_better'),
  onRegression,
});
const prometheusGuard = z
  .strictObject({
    kind: z.literal('prometheus'),
    query: z.string().trim().min(1).max(2000),
    max: z.number().optional(),
    min: z.number().optional(),
    onRegression,
  })
  .refine((g) => g.max !== undefined || g.min !== undefined, { message: 'needs max or min', path: ['max'] })
  .refine((g) => g.max === undefined || g.min === undefined || g.min < g.max, {
    message: 'must be less than max',
    path: ['min'],
  });
export const guard = z.discriminatedUnion('kind', [eventGuard, prometheusGuard]);
const guards = z.array(guard).max(MAX_GUARDS);
const guardCheckSeconds = z.number().int().min(1).max(3600);
const maxHoldSeconds = z
  .number()
  .int()
  .min(0)
  .max(90 * 24 * 3600);
const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const createPlanBody = z.strictObject({
  flagId: z.string().max(100),
  stages,
  startAt: isoDate.optional(),
  stickiness: stickiness.default('targetingKey'),
  rollbackPercent: z.number().default(0),
  guards: guards.default([]),
  guardCheckSeconds: guardCheckSeconds.default(GUARD_DEFAULTS.guardCheckSeconds),
  onInsufficientData: z.enum(ON_INSUFFICIENT_DATA).default(GUARD_DEFAULTS.onInsufficientData),
  maxHoldSeconds: maxHoldSeconds.nullable().default(null),
});
export type CreatePlanInput = z.output<typeof createPlanBody>;

export const updatePlanBody = z
  .strictObject({
    stages: stages.optional(),
    startAt: isoDate.nullable().optional(),
    stickiness: stickiness.optional(),
    rollbackPercent: z.number().optional(),
    guards: guards.optional(),
    guardCheckSeconds: guardCheckSeconds.optional(),
    onInsufficientData: z.enum(ON_INSUFFICIENT_DATA).optional(),
    maxHoldSeconds: maxHoldSeconds.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'must change at least one field');
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
    guards: z.array(guard),
    guardCheckSeconds: z.number().int(),
    onInsufficientData: z.enum(ON_INSUFFICIENT_DATA),
    maxHoldSeconds: z.number().int().nullable(),
    attempts: z.number().int(),
    createdBy: actorView,
    approvedBy: actorView.nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'RolloutPlan' });
export type PlanView = z.infer<typeof planView>;

const armView = z.object({ units: z.number().int(), value: z.number().nullable() });
export const guardEvidence = z
  .object({
    guard: z.number().int(),
    kind: z.enum(['event_share', 'event_mean', 'prometheus', 'sample_ratio']),
    subject: z.string(),
    verdict: z.enum(GUARD_VERDICTS),
    stage: z.number().int(),
    percent: z.number(),
    checkedAt: z.string(),
    arms: z.object({ treatment: armView, control: armView }).optional(),
    interval: z.object({ estimate: z.number(), lower: z.number(), upper: z.number() }).nullable().optional(),
    threshold: z.number().optional(),
    value: z.number().nullable().optional(),
    note: z.string().optional(),
  })
  .meta({ id: 'GuardEvidence' });

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
    /** What a guard saw when it stopped the plan (guard_pause, guard_rollback). */
    evidence: z.lazy(() => guardEvidence).nullable(),
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
    /** Per guard (same order as `guards`), the latest check in the current stage; null before the first. Then the sample-ratio check. */
    guardStatus: z.object({ guards: z.array(guardEvidence.nullable()), sampleRatio: guardEvidence.nullable() }),
  })
  .meta({ id: 'RolloutPlanDetail' });

export const guardChecksQuery = z.strictObject({ stage: z.coerce.number().int().min(0).max(19).optional() });
export const guardChecksView = z
  .object({ stage: z.number().int(), checks: z.array(guardEvidence.extend({ seq: z.number().int() })) })
  .meta({ id: 'GuardChecks' });
export type GuardChecksView = z.infer<typeof guardChecksView>;
export type PlanDetail = z.infer<typeof planDetailView>;

export const templateView = z
  .object({ id: z.string(), name: z.string(), stages: z.array(stage) })
  .meta({ id: 'RolloutTemplate' });
