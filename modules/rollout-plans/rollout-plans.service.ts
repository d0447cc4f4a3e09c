import type { Knex } from 'knex';
import type { Actor } from '../../core/actor';
import { ConflictError, ForbiddenError, NotFoundError, ServiceDisabledError, ValidationError } from '../../core/errors';
import { InvalidPlanActionError, isActive, isAllowed, validateStages, type PlanAction, type Stage } from '../../core/rollout-plan';
import type { AuditRepository } from '../audit/audit.repository';
import type { FlagRow, FlagsRepository } from '../flags/flags.repository';
import type { FlagChangeListener } from '../flags/flags.service';
import type { Clock } from '../platform/clock';
import { newId } from '../platform/ids';
import { assertVersion } from '../platform/if-match';
import type { Page } from '../platform/pagination';
import type { ActionContext, AfterCommit, UnitOfWork } from '../platform/unit-of-work';
import type { SettingsService } from '../settings/settings.service';
import type { AdvanceScheduler } from './advance-scheduler';
import type { PlanTransitions } from './plan-transitions';
import { toPlanView, type PlanChanges, type PlanRow, type PlanWithKey, type RolloutPlansRepository } from './rollout-plans.repository';
import type { CreatePlanInput, ListPlansQuery, PlanDetail, PlanView, UpdatePlanInput } from './rollout-plans.schemas';

/** The API's plan actions (PATCH is `edit`). */
export type PlanActionVerb = Exclude<PlanAction, 'edit'>;
export const PLAN_ACTION_VERBS: PlanActionVerb[] = ['start', 'pause', 'resume', 'advance', 'rollback', 'abort', 'retry', 'approve'];

/** Actions that move a rollout forward: refused while "pause all rollouts" is on or the flag is off. */
const MOVES: readonly PlanActionVerb[] = ['start', 'resume', 'advance', 'retry', 'approve'];

const sameActor = (a: Actor, b: Actor): boolean => a.type === b.type && a.id === b.id;

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
      db: Knex;
    },
  ) {}

  list(tenantId: string, query: ListPlansQuery): Promise<Page<PlanView>> {
    return this.d.plans.list(tenantId, query);
  }

  async get(tenantId: string, id: string): Promise<PlanDetail> {
    const plan = await this.d.plans.find(this.d.db, tenantId, id);
    if (!plan) throw new NotFoundError('Rollout plan');
    const [transitions, paused] = await Promise.all([this.d.plans.transitions(tenantId, id), this.d.settings.rolloutsPaused()]);
    const jobId = this.d.scheduler.nextJobId(plan);
    const queue = this.d.scheduler.queueName;
    return {
      ...toPlanView(plan),
      transitions,
      nextDueAt: jobId ? (plan.nextAdvanceAt?.toISOString() ?? null) : null,
      heldByPauseAll: paused.on && isActive(plan.status),
      job: jobId ? { queue, id: jobId, state: await this.d.scheduler.jobState(jobId), url: `/admin/queues/queue/${queue}/${jobId}` } : null,
    };
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
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await this.d.plans.insert(trx, row);
      const view = toPlanView({ ...row, flagKey: flag.key });
      await this.d.audit.record(trx, ctx, { action: 'rollout_plan.created', resourceType: 'rollout_plan', resourceId: row.id, after: view });
      return view;
    });
  }

  async update(ctx: ActionContext, id: string, changes: UpdatePlanInput, ifMatch?: number): Promise<PlanView> {
    return this.d.uow.run(ctx, async (trx) => {
      const plan = await this.locked(trx, ctx.tenantId, id, ifMatch);
      if (!isAllowed(plan.status, 'edit')) throw new InvalidPlanActionError(plan.status, 'edit', 'Only a draft plan can be edited.');
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
      if (!isAllowed(plan.status, action)) throw new InvalidPlanActionError(plan.status, action);
      if (MOVES.includes(action)) await this.assertCanMove(plan, flag);
      if (action === 'start') {
        const active = await this.d.plans.findActiveForFlag(trx, ctx.tenantId, plan.flagId);
        if (active) throw new ConflictError(`Flag ${plan.flagKey} already has an active rollout plan (${active.id}, ${active.status}).`, plan.status);
      }
      if (action === 'approve' && sameActor(plan.createdBy, ctx.actor)) {
        throw new ForbiddenError('A plan must be approved by an operator other than its author.');
      }
      const extra: PlanChanges = action === 'approve' ? { approvedBy: ctx.actor } : action === 'retry' ? { attempts: 0 } : {};
      const after = await this.d.transitions.apply(trx, afterCommit, ctx, plan, action, extra);
      return toPlanView(after!);
    });
  }

  /** The kill switch wins: switching a flag off pauses its rollout, in the same transaction. */
  async onFlagChanged(trx: Knex.Transaction, ctx: ActionContext, before: FlagRow, after: FlagRow, afterCommit: AfterCommit): Promise<void> {
    if (!before.enabled || after.enabled) return;
    const plan = await this.d.plans.findActiveForFlag(trx, ctx.tenantId, after.id);
    if (plan && isAllowed(plan.status, 'kill_switch')) await this.d.transitions.apply(trx, afterCommit, ctx, plan, 'kill_switch');
  }

  private async assertCanMove(plan: PlanWithKey, flag: { flagEnabled: boolean; flagArchivedAt: Date | null }): Promise<void> {
    const paused = await this.d.settings.rolloutsPaused();
    if (paused.on) {
      throw new ServiceDisabledError(
        'rollouts_paused',
        `Every rollout is paused by an admin${paused.reason ? `: ${paused.reason}` : '.'} Pause, rollback and abort still work.`,
      );
    }
    if (flag.flagArchivedAt) throw new ConflictError('The flag is archived; this plan can only be aborted.', plan.status);
    if (!flag.flagEnabled) throw new ConflictError(`Flag ${plan.flagKey} is switched off (kill switch); enable it before moving its rollout.`, plan.status);
  }

  private async locked(trx: Knex, tenantId: string, id: string, ifMatch?: number): Promise<PlanWithKey> {
    const plan = await this.d.plans.findForUpdate(trx, tenantId, id);
    if (!plan) throw new NotFoundError('Rollout plan');
    assertVersion(plan, ifMatch);
    return plan;
  }
}
