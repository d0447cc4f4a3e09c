import type { Knex } from 'knex';
import type { Actor } from '../../core/actor';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors';
import {
  actionRefusal,
  availableActions,
  isActive,
  isAllowed,
  validateStages,
  type ActionSituation,
  type PlanAction,
  type Stage,
} from '../../core/rollout-plan';
import type { AuditRepository } from '../audit/audit.repository';
import type { FlagRow, FlagsRepository } from '../flags/flags.repository';
import type { FlagChangeListener } from '../flags/flags.service';
import type { Clock } from '../platform/clock';
import { newId } from '../platform/ids';
import { assertVersion } from '../platform/if-match';
import type { Page } from '../platform/pagination';
import type { GuardChecksRepository, StoredCheck } from '../guards/guard-checks.repository';
import type { ActionContext, AfterCommit, UnitOfWork } from '../platform/unit-of-work';
import type { SettingsService } from '../settings/settings.service';
import type { AdvanceScheduler } from './advance-scheduler';
import type { PlanTransitions } from './plan-transitions';
import {
  toPlanView,
  type PlanChanges,
  type PlanRow,
  type PlanWithKey,
  type RolloutPlansRepository,
} from './rollout-plans.repository';
import type {
  CreatePlanInput,
  GuardChecksView,
  ListPlansQuery,
  PlanDetail,
  PlanView,
  UpdatePlanInput,
} from './rollout-plans.schemas';

const evidenceOf = (check: StoredCheck | undefined) => {
  if (!check) return null;
  const { seq: _seq, ...evidence } = check;
  return evidence;
};

/** The API's plan actions (PATCH is `edit`). */
export type PlanActionVerb = Exclude<PlanAction, 'edit'>;
export const PLAN_ACTION_VERBS: PlanActionVerb[] = [
  'start',
  'pause',
  'resume',
  'advance',
  'rollback',
  'abort',
  'retry',
  'approve',
];

function assertValidStages(stages: Stage[], rollbackPercent: number): void {
  const details = validateStages(stages, rollbackPercent);
  if (details.length > 0) throw new ValidationError('Request body is invalid.', details);
}

/** The use cases behind /admin/rollout-plans, and the kill switch's hold on running plans. */
export class RolloutPlansService implements FlagChangeListener {
  constructor(
    private readonly d: {
      uow: UnitOfWork;
      clock: Clock;
      plans: RolloutPlansRepository;
      flags: FlagsRepository;
      audit: AuditRepository;
      transitions: PlanTransitions;
      scheduler: AdvanceScheduler;
      settings: SettingsService;
      guardChecks: GuardChecksRepository;
      db: Knex;
    },
  ) {}

  list(tenantId: string, query: ListPlansQuery): Promise<Page<PlanView>> {
    return this.d.plans.list(tenantId, query);
  }

  /** `actor` is who reads: the detail says which actions they may take now. */
  async get(tenantId: string, id: string, actor: Actor): Promise<PlanDetail> {
    const plan = await this.d.plans.find(this.d.db, tenantId, id);
    if (!plan) throw new NotFoundError('Rollout plan');
    const [transitions, paused, flag, latest] = await Promise.all([
      this.d.plans.transitions(tenantId, id),
      this.d.settings.rolloutsPaused(),
      this.d.flags.find(tenantId, plan.flagId),
      plan.currentStage >= 0 && plan.guards.length > 0
        ? this.d.guardChecks.latest(this.d.db, plan.id, plan.currentStage)
        : new Map<number, StoredCheck>(),
    ]);
    const jobId = this.d.scheduler.nextJobId(plan);
    const queue = this.d.scheduler.queueName;
    return {
      ...toPlanView(plan),
      transitions,
      nextDueAt: jobId ? (plan.nextAdvanceAt?.toISOString() ?? null) : null,
      heldByPauseAll: paused.on && isActive(plan.status),
      actions: availableActions(plan, {
        flagEnabled: flag?.enabled ?? false,
        flagArchived: !!flag?.archivedAt,
        rolloutsPaused: paused,
        actor,
      }),
      job: jobId
        ? {
            queue,
            id: jobId,
            state: await this.d.scheduler.jobState(jobId),
            url: `/admin/queues/queue/${queue}/${jobId}`,
          }
        : null,
      guardStatus: {
        guards: plan.guards.map((_, i) => evidenceOf(latest.get(i))),
        sampleRatio: evidenceOf(latest.get(-1)),
      },
    };
  }

  /** Every guard check of one stage (the current one by default), oldest first, for the plan page's charts. */
  async guardChecks(tenantId: string, id: string, stage?: number): Promise<GuardChecksView> {
    const plan = await this.d.plans.find(this.d.db, tenantId, id);
    if (!plan) throw new NotFoundError('Rollout plan');
    if (stage !== undefined && stage >= plan.stages.length) {
      const message = `must be one of the plan's stages, 0 to ${plan.stages.length - 1}`;
      throw new ValidationError('Query is invalid.', [{ path: 'query.stage', message }]);
    }
    const at = stage ?? Math.max(plan.currentStage, 0);
    return { stage: at, checks: await this.d.guardChecks.list(plan.id, at) };
  }

  async create(ctx: ActionContext, input: CreatePlanInput): Promise<PlanView> {
    assertValidStages(input.stages, input.rollbackPercent);
    return this.d.uow.run(ctx, async (trx) => {
      const flag = await this.d.flags.findForUpdate(trx, ctx.tenantId, input.flagId);
      if (!flag) throw new NotFoundError('Feature flag');
      if (flag.archivedAt) throw new ConflictError('The flag is archived.', 'archived');
      const now = this.d.clock.now();
      const row: PlanRow = {
        id: newId(),
        tenantId: ctx.tenantId,
        flagId: flag.id,
        status: 'draft',
        stages: input.stages,
        stickiness: input.stickiness,
        currentStage: -1,
        startAt: input.startAt ?? null,
        nextAdvanceAt: null,
        rollbackPercent: input.rollbackPercent,
        pauseReason: null,
        lastFailure: null,
        attempts: 0,
        createdBy: ctx.actor,
        approvedBy: null,
        guards: input.guards,
        guardCheckSeconds: input.guardCheckSeconds,
        onInsufficientData: input.onInsufficientData,
        maxHoldSeconds: input.maxHoldSeconds,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await this.d.plans.insert(trx, row);
      const view = toPlanView({ ...row, flagKey: flag.key });
      await this.d.audit.record(trx, ctx, {
        action: 'rollout_plan.created',
        resourceType: 'rollout_plan',
        resourceId: row.id,
        after: view,
      });
      return view;
    });
  }

  async update(ctx: ActionContext, id: string, changes: UpdatePlanInput, ifMatch?: number): Promise<PlanView> {
    return this.d.uow.run(ctx, async (trx) => {
      const plan = await this.locked(trx, ctx.tenantId, id, ifMatch);
      // editing depends on the state only: the switches and the flag play no part
      const refusal = actionRefusal(plan, 'edit', {
        flagEnabled: true,
        flagArchived: false,
        rolloutsPaused: { on: false, reason: null },
        actor: ctx.actor,
      });
      if (refusal) throw refusal;
      assertValidStages(changes.stages ?? plan.stages, changes.rollbackPercent ?? plan.rollbackPercent);
      const after = await this.d.plans.applyChange(trx, plan, changes as PlanChanges, this.d.clock.now());
      await this.d.audit.record(trx, ctx, {
        action: 'rollout_plan.updated',
        resourceType: 'rollout_plan',
        resourceId: id,
        before: toPlanView(plan),
        after: toPlanView(after!),
      });
      return toPlanView(after!);
    });
  }

  async act(ctx: ActionContext, id: string, action: PlanActionVerb, ifMatch?: number): Promise<PlanView> {
    return this.d.uow.run(ctx, async (trx, afterCommit) => {
      const flag = await this.d.plans.findLockingFlag(trx, ctx.tenantId, id);
      if (!flag) throw new NotFoundError('Rollout plan');
      const plan = await this.locked(trx, ctx.tenantId, id, ifMatch);
      const refusal = actionRefusal(plan, action, await this.situation(flag, ctx.actor));
      if (refusal) throw refusal;
      if (action === 'start') {
        const active = await this.d.plans.findActiveForFlag(trx, ctx.tenantId, plan.flagId);
        if (active)
          throw new ConflictError(
            `Flag ${plan.flagKey} already has an active rollout plan (${active.id}, ${active.status}).`,
            plan.status,
          );
      }
      const extra: PlanChanges =
        action === 'approve' ? { approvedBy: ctx.actor } : action === 'retry' ? { attempts: 0 } : {};
      const after = await this.d.transitions.apply(trx, afterCommit, ctx, plan, action, extra);
      return toPlanView(after!);
    });
  }

  /** The kill switch wins: switching a flag off pauses its rollout, in the same transaction. */
  async onFlagChanged(
    trx: Knex.Transaction,
    ctx: ActionContext,
    before: FlagRow,
    after: FlagRow,
    afterCommit: AfterCommit,
  ): Promise<void> {
    if (!before.enabled || after.enabled) return;
    const plan = await this.d.plans.findActiveForFlag(trx, ctx.tenantId, after.id);
    if (plan && isAllowed(plan.status, 'kill_switch'))
      await this.d.transitions.apply(trx, afterCommit, ctx, plan, 'kill_switch');
  }

  private async situation(
    flag: { flagEnabled: boolean; flagArchivedAt: Date | null },
    actor: Actor,
  ): Promise<ActionSituation> {
    const paused = await this.d.settings.rolloutsPaused();
    return { flagEnabled: flag.flagEnabled, flagArchived: !!flag.flagArchivedAt, rolloutsPaused: paused, actor };
  }

  private async locked(trx: Knex, tenantId: string, id: string, ifMatch?: number): Promise<PlanWithKey> {
    const plan = await this.d.plans.findForUpdate(trx, tenantId, id);
    if (!plan) throw new NotFoundError('Rollout plan');
    assertVersion(plan, ifMatch);
    return plan;
  }
}
