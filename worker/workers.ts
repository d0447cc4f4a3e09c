import { UnrecoverableError, type Job } from 'bullmq';
import type { AnyWorker } from '../modules/platform/backend';
import type { Container } from '../modules/platform/container';
import { QUEUE_NAMES, type JobName, type QueueKey } from '../modules/platform/queues';
import { assertEveryJobHasAHandler, jobHandlers, type JobRegistry } from './jobs';

export interface WorkerRuntime {
  workers: AnyWorker[];
  /** Stops taking jobs, lets the jobs in hand finish, then closes. */
  close(): Promise<void>;
}

const CONCURRENCY: Record<QueueKey, (c: Container) => number> = {
  advances: (c) => c.config.rollouts.workerConcurrency,
  notifications: (c) => c.config.rollouts.workerConcurrency,
  maintenance: () => 1,
};

/** One BullMQ worker per queue, dispatching each job by name to the registry. */
export function startWorkers(c: Container, registry: JobRegistry = jobHandlers): WorkerRuntime {
  assertEveryJobHasAHandler(registry);
  const dispatch = async (job: Job, token?: string) => {
    const handler = registry[job.name as JobName] as ((job: Job, c: Container, token: string | undefined) => Promise<unknown>) | undefined;
    if (!handler) throw new UnrecoverableError(`No handler for job ${job.name}`);
    return handler(job, c, token);
  };
  const workers = (Object.keys(QUEUE_NAMES) as QueueKey[]).map((key) => {
    const worker = c.backend.worker(QUEUE_NAMES[key], dispatch, {
      concurrency: CONCURRENCY[key](c),
      lockDuration: c.config.rollouts.workerLockMs,
      stalledInterval: c.config.rollouts.workerLockMs,
    });
    worker.on('failed', (job, err) => c.logger.warn({ queue: key, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job attempt failed'));
    worker.on('error', (err) => c.logger.error({ queue: key, err: err.message }, 'worker error'));
    return worker;
  });
  return {
    workers,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
