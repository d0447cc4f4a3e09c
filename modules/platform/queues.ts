import type { Job, JobsOptions } from 'bullmq';
import type { AnyQueue, Backend, JobState } from './backend';
import type { Config } from './config';

/** BullMQ queue names (no ':' allowed); every key lives under `config.redisPrefix` (on PostgreSQL, in its schema). */
export const QUEUE_NAMES = {
  advances: 'rollout-advances',
  guards: 'rollout-guards',
  maintenance: 'maintenance',
  notifications: 'notifications',
} as const;
export type QueueKey = keyof typeof QUEUE_NAMES;

/** Every job Flagpole runs and its data. Job data names its tenant (and plan and flag) so on-call can trace it. */
export interface JobPayloads {
  'advance-plan': { tenantId: string; planId: string; flagId: string; stage: number };
  /** The `seq`th check of the guards of a plan's `stage` (job id guard-<planId>-<stage>-<seq>). */
  'guard-check': { tenantId: string; planId: string; stage: number; seq: number };
  'reconcile-plans': Record<string, never>;
  cleanup: Record<string, never>;
  'deliver-webhook': { tenantId: string; webhookId: string; deliveryId: string; event: string };
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUE: Record<JobName, QueueKey> = {
  'advance-plan': 'advances',
  'guard-check': 'guards',
  'reconcile-plans': 'maintenance',
  cleanup: 'maintenance',
  'deliver-webhook': 'notifications',
};
export const JOB_NAMES = Object.keys(JOB_QUEUE) as JobName[];

const DAY_SECONDS = 24 * 3600;

function defaultJobOptions(key: QueueKey, r: Config['rollouts']): JobsOptions {
  const backoff = { type: 'exponential', delay: r.retryBackoffMs };
  switch (key) {
    case 'advances':
      return {
        attempts: r.advanceAttempts,
        backoff,
        removeOnComplete: { age: DAY_SECONDS, count: 10_000 },
        removeOnFail: { age: 7 * DAY_SECONDS },
      };
    case 'guards':
      // a lost check is replaced by the next one (or by the reconciler): a few quick retries are enough
      return { attempts: 3, backoff, removeOnComplete: { age: 3600, count: 2000 }, removeOnFail: { age: DAY_SECONDS } };
    case 'notifications':
      return {
        attempts: r.webhookAttempts,
        backoff,
        removeOnComplete: { age: DAY_SECONDS, count: 1000 },
        removeOnFail: { age: 7 * DAY_SECONDS },
      };
    case 'maintenance':
      return { attempts: 1, removeOnComplete: { count: 50 }, removeOnFail: { count: 200 } };
  }
}

/** The queues the api enqueues on and the worker consumes, on the container's backend. */
export class JobQueues {
  readonly byKey: Record<QueueKey, AnyQueue>;

  constructor(
    private readonly backend: Backend,
    settings: Config['rollouts'],
  ) {
    const make = (key: QueueKey) =>
      backend.queue(QUEUE_NAMES[key], { defaultJobOptions: defaultJobOptions(key, settings) });
    this.byKey = {
      advances: make('advances'),
      guards: make('guards'),
      maintenance: make('maintenance'),
      notifications: make('notifications'),
    };
  }

  queueOf(name: JobName): AnyQueue {
    return this.byKey[JOB_QUEUE[name]];
  }

  add<N extends JobName>(name: N, data: JobPayloads[N], opts?: JobsOptions): Promise<Job<JobPayloads[N]>> {
    return this.queueOf(name).add(name, data, opts);
  }

  all(): AnyQueue[] {
    return Object.values(this.byKey);
  }

  /** The state of each job id in `key`'s queue, in as few round trips as the backend allows. */
  jobStates(key: QueueKey, jobIds: string[]): Promise<JobState[]> {
    return this.backend.jobStates(this.byKey[key], jobIds);
  }

  /** For a page that must answer while the queue store does not: 'unavailable' once the queue timeout has passed. */
  async jobStateForDisplay(key: QueueKey, jobId: string): Promise<JobState | 'unavailable'> {
    try {
      return (await this.backend.within(this.byKey[key].getJobState(jobId))) as JobState;
    } catch {
      // the page shows the job as unavailable; the store's outage is logged by its connection and by /readyz
      return 'unavailable';
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}
