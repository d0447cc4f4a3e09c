import type { Clock } from '../platform/clock';
import type { JobPayloads, JobQueues } from '../platform/queues';
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
    return plan.status === 'running' || plan.status === 'scheduled'
      ? advanceJobId(plan.id, plan.currentStage + 1)
      : null;
  }

  /** 'unavailable' when the queue store does not answer in time: a plan's detail answers without it. */
  jobState(jobId: string): Promise<string> {
    return this.queues.jobStateForDisplay('advances', jobId);
  }

  async ensure(plan: DuePlan): Promise<EnsureOutcome> {
    const counts = await this.ensureMany([plan]);
    return (Object.keys(counts) as EnsureOutcome[]).find((k) => counts[k] > 0) ?? 'none';
  }

  /**
   * Idempotent, for any number of plans in a few round trips: one probe of their jobs (pipelined
   * on Redis), then a missing job is added, a finished one (kept for the dashboard) is replaced so
   * its id can be used again (after a resume or a retry), a delayed one is promoted once the
   * plan is due by our clock, and a waiting or active one is left alone.
   */
  async ensureMany(plans: DuePlan[]): Promise<Record<EnsureOutcome, number>> {
    const counts: Record<EnsureOutcome, number> = { added: 0, promoted: 0, present: 0, none: 0 };
    const queue = this.queues.byKey.advances;
    const now = this.clock.now().getTime();
    const wanted = plans.flatMap((plan) => {
      const jobId = this.nextJobId(plan);
      if (!jobId || !plan.nextAdvanceAt) {
        counts.none++;
        return [];
      }
      return [{ plan, jobId, delay: Math.max(0, plan.nextAdvanceAt.getTime() - now) }];
    });
    if (wanted.length === 0) return counts;
    const states = await this.queues.jobStates(
      'advances',
      wanted.map((w) => w.jobId),
    );
    const toAdd: typeof wanted = [];
    for (const [i, w] of wanted.entries()) {
      const state = states[i];
      if (state === 'unknown') {
        toAdd.push(w);
      } else if (state === 'completed' || state === 'failed') {
        await queue.remove(w.jobId);
        toAdd.push(w);
      } else if (state === 'delayed' && w.delay === 0) {
        counts[await this.promote(w.jobId)]++;
      } else {
        counts.present++;
      }
    }
    if (toAdd.length > 0) {
      await queue.addBulk(
        toAdd.map((w) => ({
          name: 'advance-plan',
          data: this.dataOf(w.plan),
          opts: { jobId: w.jobId, delay: w.delay },
        })),
      );
      counts.added += toAdd.length;
    }
    return counts;
  }

  /**
   * The job of a stage the plan has just moved into, in one round trip: its id has not been
   * used since the plan was last rolled back (`forgetBeyond` removed those), so there is
   * nothing to check first. Should an id still be taken, the add is a no-op and the
   * reconciler replaces the job once the plan is overdue.
   */
  async enqueueNext(plan: DuePlan): Promise<void> {
    const jobId = this.nextJobId(plan);
    if (!jobId || !plan.nextAdvanceAt) return;
    await this.add(plan, jobId, Math.max(0, plan.nextAdvanceAt.getTime() - this.clock.now().getTime()));
  }

  /** After a rollback to `stage`: drops the jobs of the stages after the next one, so their ids are free again. */
  async forgetBeyond(planId: string, stage: number, stageCount: number): Promise<void> {
    const queue = this.queues.byKey.advances;
    for (let s = stage + 2; s < stageCount; s++) await queue.remove(advanceJobId(planId, s));
  }

  /** Promotes a delayed job; another reconciler (or BullMQ itself) may have moved it first, which is as good. */
  private async promote(jobId: string): Promise<'promoted' | 'present'> {
    const queue = this.queues.byKey.advances;
    try {
      await (await queue.getJob(jobId))?.promote();
      return 'promoted';
    } catch (err) {
      if ((await queue.getJobState(jobId)) !== 'delayed') return 'present';
      throw err;
    }
  }

  private async add(plan: DuePlan, jobId: string, delay: number): Promise<void> {
    await this.queues.add('advance-plan', this.dataOf(plan), { jobId, delay });
  }

  private dataOf(plan: DuePlan): JobPayloads['advance-plan'] {
    return { tenantId: plan.tenantId, planId: plan.id, flagId: plan.flagId, stage: plan.currentStage + 1 };
  }
}
