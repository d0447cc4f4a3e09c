import type { Knex } from 'knex';
import { systemActor } from '../../core/actor';
import { gateOf } from '../../core/guard-gate';
import { isGuardedStage } from '../../core/guards';
import { isDue, type PlanStatus } from '../../core/rollout-plan';
import type { GuardChecker } from '../guards/guard-checker';
import type { GuardChecksRepository } from '../guards/guard-checks.repository';
import type { AuditRepository } from '../audit/audit.repository';
import type { Clock } from '../platform/clock';
import { classifyDbError } from '../platform/db-errors';
import type { JobPayloads } from '../platform/queues';
import type { ActionContext, UnitOfWork } from '../platform/unit-of-work';
import type { SettingsService } from '../settings/settings.service';
import type { AdvanceScheduler, EnsureOutcome } from './advance-scheduler';
import type { PlanTransitions } from './plan-transitions';
import type { PlanWithKey, RolloutPlansRepository } from './rollout-plans.repository';

export const WORKER_ACTOR = systemActor('rollout-worker', 'rollout worker');

export type AdvanceData = JobPayloads['advance-plan'];

/** `dueAt` is when an applied step fell due: the worker's lateness metric is measured from it. */
export type AdvanceResult =
  | { outcome: 'advanced' | 'paused'; status: PlanStatus; stage: number; dueAt: string }
  | { outcome: 'skipped'; code: 'PLAN_NOT_FOUND' | 'STATE_CHANGED' | 'DUPLICATE' }
  | { outcome: 'held' }
  | { outcome: 'not_due'; dueAt: string; waitMs: number }
  /** Due, but its guards have not all said healthy yet: asked again after the next check. */
  | { outcome: 'awaiting_guards'; waitMs: number };

/** What a reconciler pass did. */
export type ReconcileResult = { held: boolean; due: number; guardChecks: number } & Record<EnsureOutcome, number>;

/** A failure with a stable code (the error contract's job failure reasons); `retryable: false` stops at once. */
export class AdvanceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface Failure {
  code: string;
  message: string;
  retryable: boolean;
}

/** Names a failure for the plan, without SQL text. */
export function failureOf(err: unknown): Failure {
  if (err instanceof AdvanceError) return { code: err.code, message: err.message, retryable: err.retryable };
  const message = String((err as { message?: unknown } | undefined)?.message ?? err)
    .split(' - ')
    .pop()!
    .slice(0, 300);
  const kind = classifyDbError(err);
  if (kind === 'unavailable') return { code: 'DB_UNAVAILABLE', message, retryable: true };
  if (kind === 'serialization') return { code: 'CONCURRENT_UPDATE', message, retryable: true };
  return { code: 'INTERNAL', message, retryable: true };
}

/** The advance job is for the plan's next stage and the plan can still take it. */
const awaits = (plan: PlanWithKey, stage: number): boolean =>
  (plan.status === 'running' || plan.status === 'scheduled') && plan.currentStage + 1 === stage;

/** The worker's side of rollouts: advancing due plans, recording failures, reconciling the queue. */
export class RolloutRunner {
  constructor(
    private readonly d: {
      uow: UnitOfWork;
      clock: Clock;
      plans: RolloutPlansRepository;
      audit: AuditRepository;
      transitions: PlanTransitions;
      scheduler: AdvanceScheduler;
      settings: SettingsService;
      guardChecks: GuardChecksRepository;
      guards: GuardChecker;
      db: Knex;
    },
  ) {}

  private ctx(data: AdvanceData, jobId: string, attempt: number): ActionContext & { attempt: number } {
    return { tenantId: data.tenantId, actor: WORKER_ACTOR, jobId, attempt };
  }

  /**
   * One advance, one transaction. A job for a plan that has moved on, or delivered twice, or
   * racing another worker, changes nothing: the conditional update finds 0 rows.
   */
  async advance(data: AdvanceData, jobId: string, attempt: number): Promise<AdvanceResult> {
    if ((await this.d.settings.rolloutsPausedRecently()).on) return { outcome: 'held' };
    return this.d.uow.run(this.ctx(data, jobId, attempt), async (trx, afterCommit) => {
      const plan = await this.d.plans.findLockingFlag(trx, data.tenantId, data.planId);
      if (!plan) return { outcome: 'skipped', code: 'PLAN_NOT_FOUND' } as const;
      if (!awaits(plan, data.stage)) return { outcome: 'skipped', code: 'STATE_CHANGED' } as const;
      const now = this.d.clock.now();
      if (!isDue(plan, now)) {
        const dueAt = plan.nextAdvanceAt!;
        return { outcome: 'not_due', dueAt: dueAt.toISOString(), waitMs: dueAt.getTime() - now.getTime() } as const;
      }
      if (plan.flagArchivedAt)
        throw new AdvanceError('FLAG_ARCHIVED', `Flag ${plan.flagKey} is archived; the plan cannot continue.`, false);
      let event: 'due' | 'kill_switch' | 'guard_pause' = plan.flagEnabled ? 'due' : 'kill_switch';
      const ctx = this.ctx(data, jobId, attempt);
      const guarded = event === 'due' && isGuardedStage(plan, plan.currentStage);
      if (guarded) {
        const latest = await this.d.guardChecks.latest(trx, plan.id, plan.currentStage);
        const verdicts = plan.guards.map((_, i) => latest.get(i)?.verdict);
        const gate = gateOf(plan, plan.stages[plan.currentStage].holdSeconds, verdicts, plan.nextAdvanceAt!, now);
        if (gate.decision === 'wait')
          return { outcome: 'awaiting_guards', waitMs: plan.guardCheckSeconds * 1000 } as const;
        if (gate.decision === 'pause') {
          event = 'guard_pause';
          const evidence = [...latest.values()].find((e) => e.guard >= 0 && e.verdict !== 'healthy');
          const after = await this.d.transitions.apply(
            trx,
            afterCommit,
            { ...ctx, reason: gate.reason },
            plan,
            event,
            { pauseReason: gate.pauseReason },
            evidence,
          );
          if (!after) return { outcome: 'skipped', code: 'DUPLICATE' } as const;
          return {
            outcome: 'paused',
            status: after.status,
            stage: after.currentStage,
            dueAt: now.toISOString(),
          } as const;
        }
      }
      const after = await this.d.transitions.apply(
        trx,
        afterCommit,
        ctx,
        plan,
        event,
        event === 'due' ? { attempts: 0 } : {},
      );
      if (!after) return { outcome: 'skipped', code: 'DUPLICATE' } as const;
      // a guarded stage moves on when its evidence allows, not at its due time: lateness counts from then
      const dueAt = (guarded ? now : (plan.nextAdvanceAt ?? now)).toISOString();
      return {
        outcome: event === 'due' ? 'advanced' : 'paused',
        status: after.status,
        stage: after.currentStage,
        dueAt,
      } as const;
    });
  }

  /**
   * Writes a failed attempt's reason on the plan (audited). The last attempt, or a failure
   * that cannot succeed, moves the plan to `failed` (transition, audit, notification).
   */
  async recordFailure(
    data: AdvanceData,
    jobId: string,
    attempt: number,
    failure: Failure,
    final: boolean,
  ): Promise<void> {
    const ctx = { ...this.ctx(data, jobId, attempt), reason: `${failure.code}: ${failure.message}` };
    await this.d.uow.run(ctx, async (trx, afterCommit) => {
      const plan = await this.d.plans.find(trx, data.tenantId, data.planId);
      if (!plan || !awaits(plan, data.stage)) return;
      const lastFailure = {
        code: failure.code,
        message: failure.message,
        attempt,
        at: this.d.clock.now().toISOString(),
      };
      if (final) {
        await this.d.transitions.apply(trx, afterCommit, ctx, plan, 'fail', { lastFailure, attempts: attempt });
        return;
      }
      const after = await this.d.plans.applyChange(trx, plan, { lastFailure, attempts: attempt }, this.d.clock.now());
      if (!after) return;
      await this.d.audit.record(trx, ctx, {
        action: 'rollout_plan.advance_failed',
        resourceType: 'rollout_plan',
        resourceId: plan.id,
        before: { attempts: plan.attempts, lastFailure: plan.lastFailure },
        after: { attempts: attempt, lastFailure },
      });
    });
  }

  /**
   * Re-enqueues the advance job of every plan overdue by more than `graceMs` (oldest first, at
   * most `limit` a pass), so a flushed Redis, a crashed worker or a crash between commit and
   * enqueue only delays a step; the grace keeps a busy but healthy queue from being probed
   * job by job. Idle while "pause all rollouts" is on.
   */
  async reconcile(options: { graceMs?: number; limit?: number } = {}): Promise<ReconcileResult> {
    const { graceMs = 0, limit = 2000 } = options;
    if ((await this.d.settings.rolloutsPaused()).on)
      return { held: true, due: 0, guardChecks: 0, added: 0, promoted: 0, present: 0, none: 0 };
    const now = this.d.clock.now();
    const due = await this.d.plans.listDueAcrossTenants(new Date(now.getTime() - graceMs), limit);
    const counts = await this.d.scheduler.ensureMany(due);
    // guard checks whose chain was lost (a flushed queue store): the next check of each such plan
    const stalled = await this.d.guardChecks.stalledPlans(now, graceMs, limit);
    for (const { tenantId, id } of stalled) {
      const plan = await this.d.plans.find(this.d.db, tenantId, id);
      if (plan) await this.d.guards.start(this.d.db, plan);
    }
    return { held: false, due: due.length, guardChecks: stalled.length, ...counts };
  }
}
