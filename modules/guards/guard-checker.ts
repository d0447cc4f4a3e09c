import type { Knex } from 'knex';
import { tripOf, type GuardEvidence } from '../../core/guard-gate';
import { meanInterval, sampleRatioPValue, shareInterval, verdictOf } from '../../core/guard-stats';
import {
  INCONCLUSIVE_LIMIT,
  isEventGuard,
  isGuardedStage,
  SRM_P_VALUE,
  type EventGuard,
  type Guard,
  type PrometheusGuard,
} from '../../core/guards';
import { isAllowed } from '../../core/rollout-plan';
import type { Clock } from '../platform/clock';
import type { JobPayloads, JobQueues } from '../platform/queues';
import type { UnitOfWork } from '../platform/unit-of-work';
import type { PlanTransitions } from '../rollout-plans/plan-transitions';
import { WORKER_ACTOR } from '../rollout-plans/rollout-runner';
import type { PlanWithKey, RolloutPlansRepository } from '../rollout-plans/rollout-plans.repository';
import type { SettingsService } from '../settings/settings.service';
import type { GuardChecksRepository } from './guard-checks.repository';
import type { GuardDataRepository } from './guard-data.repository';
import { queryPrometheus, type PrometheusValue } from './prometheus';

export type GuardCheckData = JobPayloads['guard-check'];

export const guardJobId = (planId: string, stage: number, seq: number): string => `guard-${planId}-${stage}-${seq}`;

export type GuardCheckResult =
  | { outcome: 'checked'; verdicts: string[] }
  | { outcome: 'tripped'; status: string; pauseReason: string | null }
  | { outcome: 'skipped'; code: 'PLAN_NOT_FOUND' | 'NOT_WATCHED' | 'DUPLICATE' }
  /**
   * Not run now, to be run again (the same check, the same job) in `retryInMs`: "pause all
   * rollouts" holds it, or the plan changed while its evidence was read and still holds the stage.
   */
  | { outcome: 'deferred'; code: 'HELD' | 'PLAN_CHANGED'; retryInMs: number };

/** The guards watch a plan while it holds a guarded stage with traffic on it. */
export const watched = (
  plan: Pick<PlanWithKey, 'status' | 'currentStage' | 'guards' | 'stages'>,
  stage: number,
): boolean =>
  (plan.status === 'running' || plan.status === 'awaiting_approval') &&
  plan.currentStage === stage &&
  isGuardedStage(plan, stage);

/**
 * The worker's guard checks. A check reads the evidence outside any transaction (the arms'
 * counts, Prometheus), then in one transaction that locks the flag and the plan: makes sure the
 * plan still holds that stage, stores the check (once: a repeated job finds it stored and stops),
 * and when the evidence says so moves the plan with `guard_pause` or `guard_rollback`, the
 * evidence on the transition, the audit event and the notification. Otherwise the next check is
 * enqueued after commit. The kill switch and "pause all rollouts" win: a plan they hold is not
 * watched, and a held check changes nothing.
 */
export class GuardChecker {
  constructor(
    private readonly d: {
      uow: UnitOfWork;
      db: Knex;
      clock: Clock;
      plans: RolloutPlansRepository;
      checks: GuardChecksRepository;
      data: GuardDataRepository;
      transitions: PlanTransitions;
      settings: SettingsService;
      queues: JobQueues;
      prometheusUrl: string | null;
    },
  ) {}

  async check(data: GuardCheckData, jobId: string): Promise<GuardCheckResult> {
    const plan = await this.d.plans.find(this.d.db, data.tenantId, data.planId);
    if (!plan) return { outcome: 'skipped', code: 'PLAN_NOT_FOUND' };
    if (!watched(plan, data.stage)) return { outcome: 'skipped', code: 'NOT_WATCHED' };
    const retryInMs = plan.guardCheckSeconds * 1000;
    if ((await this.d.settings.rolloutsPausedRecently()).on) return { outcome: 'deferred', code: 'HELD', retryInMs };
    const evidence = await this.gather(plan, data.stage);
    return this.d.uow.run({ tenantId: data.tenantId, actor: WORKER_ACTOR, jobId }, async (trx, afterCommit) => {
      const current = await this.d.plans.findLockingFlag(trx, data.tenantId, data.planId);
      if (!current || !watched(current, data.stage)) return { outcome: 'skipped', code: 'NOT_WATCHED' } as const;
      // the plan changed while the evidence was read (an advance attempt failed, …): read it again
      if (current.version !== plan.version) return { outcome: 'deferred', code: 'PLAN_CHANGED', retryInMs: 0 } as const;
      if (!(await this.d.checks.insert(trx, data.tenantId, plan.id, data.seq, evidence, this.d.clock.now()))) {
        return { outcome: 'skipped', code: 'DUPLICATE' } as const;
      }
      const streaks = await this.d.checks.inconclusiveStreaks(
        trx,
        plan.id,
        data.stage,
        plan.guards.length,
        INCONCLUSIVE_LIMIT,
      );
      const trip = current.flagEnabled ? tripOf(plan.guards, evidence, streaks) : null;
      if (trip && isAllowed(current.status, trip.event)) {
        const after = await this.d.transitions.apply(
          trx,
          afterCommit,
          { tenantId: data.tenantId, actor: WORKER_ACTOR, jobId, reason: trip.reason },
          current,
          trip.event,
          { pauseReason: trip.event === 'guard_pause' ? trip.pauseReason : null },
          trip.evidence,
        );
        if (after) return { outcome: 'tripped', status: after.status, pauseReason: after.pauseReason } as const;
      }
      afterCommit(() => this.enqueue(current, data.stage, data.seq + 1));
      return { outcome: 'checked', verdicts: evidence.map((e) => e.verdict) } as const;
    });
  }

  /**
   * Starts (or continues) the checks of the stage a plan holds; a no-op when it is not watched or
   * the next check's job is already queued or running. The next check's id may be taken by a
   * finished job that stored nothing (it found the plan paused, then the plan was resumed; or it
   * failed for good): that job is replaced, or the add would be ignored and the checks never resume.
   */
  async start(db: Knex, plan: PlanWithKey): Promise<void> {
    if (!watched(plan, plan.currentStage)) return;
    const seq = await this.d.checks.nextSeq(db, plan.id, plan.currentStage);
    const jobId = guardJobId(plan.id, plan.currentStage, seq);
    const [state] = await this.d.queues.jobStates('guards', [jobId]);
    if (state === 'completed' || state === 'failed') await this.d.queues.byKey.guards.remove(jobId);
    else if (state !== 'unknown') return;
    await this.enqueue(plan, plan.currentStage, seq);
  }

  private async enqueue(
    plan: Pick<PlanWithKey, 'id' | 'tenantId' | 'guardCheckSeconds'>,
    stage: number,
    seq: number,
  ): Promise<void> {
    await this.d.queues.add(
      'guard-check',
      { tenantId: plan.tenantId, planId: plan.id, stage, seq },
      { jobId: guardJobId(plan.id, stage, seq), delay: plan.guardCheckSeconds * 1000 },
    );
  }

  /** Every guard's evidence for the stage, and the sample-ratio check (-1) when the plan has event guards. */
  private async gather(plan: PlanWithKey, stage: number): Promise<GuardEvidence[]> {
    const base = { stage, percent: plan.stages[stage].percent, checkedAt: this.d.clock.now().toISOString() };
    const out = await Promise.all(
      plan.guards.map((g, i) =>
        isEventGuard(g) ? this.eventEvidence(plan.id, g, i, base) : this.prometheusEvidence(g, i, base),
      ),
    );
    if (plan.guards.some(isEventGuard)) out.push(await this.sampleRatio(plan.id, base));
    return out;
  }

  private async eventEvidence(planId: string, g: EventGuard, index: number, base: Base): Promise<GuardEvidence> {
    const head = { ...base, guard: index, kind: g.kind, subject: g.event, threshold: g.maxRelativeIncrease };
    if (g.kind === 'event_share') {
      const arms = await this.d.data.shareArms(this.d.db, planId, base.stage, g.event);
      const interval = shareInterval(arms.treatment, arms.control);
      const share = (a: { units: number; unitsWithEvent: number }) => ({
        units: a.units,
        value: a.units > 0 ? a.unitsWithEvent / a.units : null,
      });
      return {
        ...head,
        verdict: verdictOf(interval, arms.treatment, arms.control, g),
        arms: { treatment: share(arms.treatment), control: share(arms.control) },
        interval,
      };
    }
    const arms = await this.d.data.meanArms(this.d.db, planId, base.stage, g.event);
    const interval = meanInterval(arms.treatment, arms.control);
    const mean = (a: { units: number; sum: number }) => ({
      units: a.units,
      value: a.units > 0 ? a.sum / a.units : null,
    });
    return {
      ...head,
      verdict: verdictOf(interval, arms.treatment, arms.control, g),
      arms: { treatment: mean(arms.treatment), control: mean(arms.control) },
      interval,
    };
  }

  private async prometheusEvidence(g: PrometheusGuard, index: number, base: Base): Promise<GuardEvidence> {
    const r: PrometheusValue = await queryPrometheus(this.d.prometheusUrl, g.query);
    const head = { ...base, guard: index, kind: g.kind, subject: g.query, threshold: g.max ?? g.min };
    if (!r.ok) return { ...head, verdict: 'inconclusive', value: null, note: r.note };
    const beyond = (g.max !== undefined && r.value > g.max) || (g.min !== undefined && r.value < g.min);
    const threshold = g.max !== undefined && r.value > g.max ? g.max : (g.min ?? g.max);
    return { ...head, threshold, verdict: beyond ? 'regression' : 'healthy', value: r.value };
  }

  /** Far more or fewer treatment units than the stage's percent predicts: the arms are not what they seem. */
  private async sampleRatio(planId: string, base: Base): Promise<GuardEvidence> {
    const units = await this.d.data.exposedUnits(this.d.db, planId, base.stage);
    const enough = units.treatment + units.control >= SRM_MIN_UNITS;
    const p = enough ? sampleRatioPValue(units.treatment, units.control, base.percent / 100) : null;
    return {
      ...base,
      guard: -1,
      kind: 'sample_ratio',
      subject: 'exposed units per arm',
      verdict: p === null ? 'insufficient_data' : p < SRM_P_VALUE ? 'regression' : 'healthy',
      arms: { treatment: { units: units.treatment, value: null }, control: { units: units.control, value: null } },
      threshold: SRM_P_VALUE,
      value: p,
    };
  }
}

type Base = { stage: number; percent: number; checkedAt: string };

/** Below this many exposed units the sample-ratio test is not run (its chi-square approximation needs counts). */
const SRM_MIN_UNITS = 100;

export type { Guard };
