import type { Job } from 'bullmq';
import type { Container } from '../../modules/platform/container';
import type { JobName, JobPayloads } from '../../modules/platform/queues';

/** A job's handler: parse nothing (the data is typed), call one service method, return what it did. */
export type JobHandler<N extends JobName> = (
  job: Job<JobPayloads[N]>,
  c: Container,
  token: string | undefined,
) => Promise<unknown>;

/** The attempt being run (1-based) and whether it is the last one the job's options allow. */
export function attemptOf(job: Job): { attempt: number; final: boolean } {
  const attempt = job.attemptsMade + 1;
  return { attempt, final: attempt >= (job.opts.attempts ?? 1) };
}
