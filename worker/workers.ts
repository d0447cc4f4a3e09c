import { UnrecoverableError, type Job } from 'bullmq';
import type { AnyWorker } from '../modules/platform/backend';
import type { Container } from '../modules/platform/container';
import { QUEUE_NAMES, type JobName, type QueueKey } from '../modules/platform/queues';
import { assertEveryJobHasAHandler, jobHandlers, type JobRegistry } from './jobs';
import { createWorkerMetrics, type WorkerMetrics } from './metrics';

export interface WorkerRuntime {
  workers: AnyWorker[];
  /** Outcomes of the jobs this process ran (served on `/metrics` by main.ts). */
  metrics: WorkerMetrics;
  /** Stops taking jobs, lets the jobs in hand finish, then closes. */
  close(): Promise<void>;
}

const CONCURRENCY: Record<QueueKey, (c: Container) => number> = {
  advances: (c) => c.config.rollouts.workerConcurrency,
  guards: (c) => c.config.rollouts.workerConcurrency,
  notifications: (c) => c.config.rollouts.workerConcurrency,
  maintenance: () => 1,
};

/** One BullMQ worker per queue, dispatching each job by name to the registry; every result and failure is counted here. */
export function startWorkers(
  c: Container,
  registry: JobRegistry = jobHandlers,
  metrics: WorkerMetrics = createWorkerMetrics(c.clock),
): WorkerRuntime {
  assertEveryJobHasAHandler(registry);
  const dispatchOn = (key: QueueKey) => async (job: Job, token?: string) => {
    const handler = registry[job.name as JobName] as
      ((job: Job, c: Container, token: string | undefined) => Promise<unknown>) | undefined;
    try {
      if (!handler) throw new UnrecoverableError(`No handler for job ${job.name}`);
      const result = await handler(job, c, token);
      metrics.completed(key, job, result);
      return result;
    } catch (err) {
      metrics.failed(key, job, err);
      throw err;
    }
  };
  const workers = (Object.keys(QUEUE_NAMES) as QueueKey[]).map((key) => {
    const worker = c.backend.worker(QUEUE_NAMES[key], dispatchOn(key), {
      concurrency: CONCURRENCY[key](c),
      lockDuration: c.config.rollouts.workerLockMs,
      stalledInterval: c.config.rollouts.workerLockMs,
    });
    worker.on('failed', (job, err) =>
      c.logger.warn({ queue: key, jobId: job?.id, attempt: job?.attemptsMade, err }, 'job attempt failed'),
    );
    worker.on('error', (err) => c.logger.error({ queue: key, err }, 'worker error'));
    return worker;
  });
  return {
    workers,
    metrics,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
