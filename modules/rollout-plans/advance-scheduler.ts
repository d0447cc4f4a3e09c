import type { Clock } from '../platform/clock';
import type { JobQueues } from '../platform/queues';
import type { DuePlan } from './rollout-plans.repository';

/**
 * The deterministic id of the job that moves a plan to `stage` (the glossary's
 * `advance:<planId>:<stageIndex>`). BullMQ refuses ':' in custom job ids (it separates
 * Redis key parts), so the parts are joined with '-' instead.
 */
export const advanceJobId = (planId: string, stage: number): string => `advance-${planId}-${stage}`;

export type EnsureOutcome = 'added' | 'promoted' | 'present' | 'none';

/** Makes sure the advance job of a running or scheduled plan is in the queue, delayed until its due time. */
export class AdvanceScheduler {
  constructor(
    private readonly queues: JobQueues,
    private readonly clock: Clock,
  ) {}

  get queueName(): string {
    return this.queues.byKey.advances.name;
  }

  nextJobId(plan: Pick<DuePlan, 'id' | 'status' | 'currentStage'>): string | null {
    return plan.status === 'running' || plan.status === 'scheduled' ? advanceJobId(plan.id, plan.currentStage + 1) : null;
  }

  async jobState(jobId: string): Promise<string> {
    return this.queues.byKey.advances.getJobState(jobId);
  }

  /**
   * Idempotent: a waiting or active job is left alone, a delayed one is promoted once the plan
   * is due by our clock, and a finished one (kept for the dashboard) is replaced so the id can
   * be used again, e.g. after a resume or a retry.
   */
  async ensure(plan: DuePlan): Promise<EnsureOutcome> {
    const jobId = this.nextJobId(plan);
    if (!jobId || !plan.nextAdvanceAt) return 'none';
    const queue = this.queues.byKey.advances;
    const delay = Math.max(0, plan.nextAdvanceAt.getTime() - this.clock.now().getTime());
    const state = await queue.getJobState(jobId);
    if (state === 'delayed') {
      if (delay > 0) return 'present';
      const job = await queue.getJob(jobId);
      await job?.promote();
      return 'promoted';
    }
    if (state === 'completed' || state === 'failed') await queue.remove(jobId);
    else if (state !== 'unknown') return 'present';
    await this.queues.add('advance-plan', { tenantId: plan.tenantId, planId: plan.id, flagId: plan.flagId, stage: plan.currentStage + 1 }, { jobId, delay });
    return 'added';
  }
}
