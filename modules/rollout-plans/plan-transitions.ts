import type { Knex } from 'knex';
import type { AuditAction } from '../../core/audit-actions';
import type { GuardEvidence } from '../../core/guard-gate';
import { appliedPercent, decide, type PlanChange, type PlanEvent } from '../../core/rollout-plan';
import type { AuditRepository } from '../audit/audit.repository';
import type { RulesRepository } from '../flags/rules.repository';
import type { NotificationEvent } from '../notifications/notifications.schemas';
import type { NotificationsService } from '../notifications/notifications.service';
import type { Clock } from '../platform/clock';
import type { ActionContext, AfterCommit } from '../platform/unit-of-work';
import type { AdvanceScheduler } from './advance-scheduler';
import {
  toPlanView,
  type PlanChanges,
  type PlanWithKey,
  type RolloutPlansRepository,
} from './rollout-plans.repository';

/** The rules-repository methods a plan needs to own its flag's percent rule. */
export type PlanRuleStore = Pick<RulesRepository, 'upsertPlanRule' | 'releasePlanRule'>;

/** Events that move a plan into a stage it has not held since its last rollback: its next job id is unused. */
const FORWARD_EVENTS: readonly PlanEvent[] = ['start', 'due', 'advance', 'approve'];

function auditActionOf(event: PlanEvent, change: PlanChange): AuditAction {
  if (change.status === 'completed') return 'rollout_plan.completed';
  if (change.status === 'awaiting_approval') return 'rollout_plan.awaiting_approval';
  const byEvent: Record<PlanEvent, AuditAction> = {
    edit: 'rollout_plan.updated',
    start: change.status === 'scheduled' ? 'rollout_plan.scheduled' : 'rollout_plan.started',
    due: 'rollout_plan.advanced',
    advance: 'rollout_plan.advanced',
    approve: 'rollout_plan.approved',
    pause: 'rollout_plan.paused',
    kill_switch: 'rollout_plan.paused',
    resume: 'rollout_plan.resumed',
    rollback: 'rollout_plan.rolled_back',
    abort: 'rollout_plan.aborted',
    retry: 'rollout_plan.retried',
    fail: 'rollout_plan.failed',
    guard_pause: 'rollout_plan.guard_tripped',
    guard_rollback: 'rollout_plan.guard_tripped',
  };
  return byEvent[event];
}

function notificationOf(before: PlanWithKey, change: PlanChange, event: PlanEvent): NotificationEvent | null {
  if (event === 'guard_pause' || event === 'guard_rollback') return 'plan.guard_tripped';
  switch (change.status) {
    case 'completed':
      return 'plan.completed';
    case 'awaiting_approval':
      return 'plan.awaiting_approval';
    case 'paused':
      return 'plan.paused';
    case 'failed':
      return 'plan.failed';
    case 'aborted':
      return 'plan.aborted';
    case 'running':
      if (change.percent === null) return null;
      return before.currentStage < 0 ? 'plan.started' : 'plan.advanced';
    default:
      return null;
  }
}

function titleOf(event: NotificationEvent, plan: PlanWithKey, percent: number | null): string {
  const at = percent === null ? '' : ` at ${percent}%`;
  const titles: Record<NotificationEvent, string> = {
    'plan.started': `Rollout of ${plan.flagKey} started${at}`,
    'plan.advanced': `Rollout of ${plan.flagKey} advanced${at}`,
    'plan.awaiting_approval': `Rollout of ${plan.flagKey} awaits approval${at}`,
    'plan.paused': `Rollout of ${plan.flagKey} paused${at} (${plan.pauseReason ?? 'MANUAL'})`,
    'plan.failed': `Rollout of ${plan.flagKey} failed${at}: ${plan.lastFailure?.message ?? 'attempts exhausted'}`,
    'plan.completed': `Rollout of ${plan.flagKey} completed${at}`,
    'plan.aborted': `Rollout of ${plan.flagKey} aborted; back${at}`,
    'flag.kill_switch': `Flag ${plan.flagKey} was switched off`,
    'plan.guard_tripped': `Rollout of ${plan.flagKey} stopped by a guard: ${plan.status === 'aborted' ? `rolled back${at}` : `paused${at} (${plan.pauseReason ?? 'GUARD_REGRESSION'})`}`,
  };
  return titles[event];
}

/**
 * Applies one event to a plan inside the caller's transaction — the one path for people, the
 * worker and the kill switch: the state machine decides; the conditional update writes (or
 * finds the plan already changed and does nothing); then the flag's percent rule, the
 * transition, the audit event and the notification, all in the same transaction; after
 * commit, the change signal and the next advance job.
 */
export class PlanTransitions {
  constructor(
    private readonly d: {
      clock: Clock;
      plans: RolloutPlansRepository;
      rules: PlanRuleStore;
      audit: AuditRepository;
      notifications: NotificationsService;
      scheduler: AdvanceScheduler;
      publishChange: (tenantId: string) => Promise<void>;
      /** After commit, when the plan holds a guarded stage: starts (or continues) its guard checks. */
      watchGuards: (plan: PlanWithKey) => Promise<void>;
    },
  ) {}

  async apply(
    trx: Knex.Transaction,
    afterCommit: AfterCommit,
    ctx: ActionContext & { attempt?: number },
    plan: PlanWithKey,
    event: PlanEvent,
    extra: PlanChanges = {},
    /** What a guard saw, when one stops the plan: kept on the transition, the audit event and the notification. */
    evidence?: GuardEvidence,
  ): Promise<PlanWithKey | undefined> {
    const now = this.d.clock.now();
    const change = decide(plan, event, now);
    const fromPercent = appliedPercent(plan);
    const toPercent = appliedPercent({ ...plan, status: change.status, currentStage: change.currentStage });
    const after = await this.d.plans.applyChange(
      trx,
      plan,
      {
        status: change.status,
        currentStage: change.currentStage,
        nextAdvanceAt: change.nextAdvanceAt,
        pauseReason: change.pauseReason,
        ...extra,
      },
      now,
      {
        event,
        fromStatus: plan.status,
        toStatus: change.status,
        fromStage: plan.currentStage,
        toStage: change.currentStage,
        fromPercent,
        toPercent,
        actor: ctx.actor,
        jobId: ctx.jobId ?? null,
        attempt: ctx.attempt ?? null,
        reason: ctx.reason ?? null,
        evidence: evidence ?? null,
        at: now,
      },
    );
    if (!after) return undefined;
    const { tenantId } = plan;
    if (change.percent !== null)
      await this.d.rules.upsertPlanRule(trx, tenantId, plan.flagId, plan.id, {
        percent: change.percent,
        stickiness: plan.stickiness,
      });
    if (change.releaseRule) await this.d.rules.releasePlanRule(trx, tenantId, plan.flagId, plan.id);
    await this.d.audit.record(trx, ctx, {
      action: auditActionOf(event, change),
      resourceType: 'rollout_plan',
      resourceId: plan.id,
      before: toPlanView(plan),
      after: evidence ? { ...toPlanView(after), evidence } : toPlanView(after),
    });
    const notification = notificationOf(plan, change, event);
    if (notification) {
      await this.d.notifications.notify(
        trx,
        afterCommit,
        tenantId,
        notification,
        titleOf(notification, after, toPercent),
        {
          planId: plan.id,
          flagId: plan.flagId,
          flagKey: plan.flagKey,
          status: after.status,
          stage: after.currentStage,
          percent: toPercent,
          pauseReason: after.pauseReason,
          lastFailure: after.lastFailure,
          actor: ctx.actor,
          reason: ctx.reason ?? null,
          ...(evidence ? { evidence } : {}),
        },
      );
    }
    if (change.percent !== null || change.releaseRule) afterCommit(() => this.d.publishChange(tenantId));
    if (event === 'rollback')
      afterCommit(() => this.d.scheduler.forgetBeyond(plan.id, after.currentStage, plan.stages.length));
    if (after.status === 'running' || after.status === 'awaiting_approval')
      afterCommit(() => this.d.watchGuards(after));
    if (after.nextAdvanceAt) {
      const movedOn = FORWARD_EVENTS.includes(event);
      afterCommit(() =>
        movedOn ? this.d.scheduler.enqueueNext(after) : this.d.scheduler.ensure(after).then(() => undefined),
      );
    }
    return after;
  }
}
