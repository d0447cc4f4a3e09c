import { DelayedError } from 'bullmq';
import type { JobHandler } from './job-handler';

/**
 * Checks a guarded plan's stage once (`job.data.seq`), and either stops the plan on the evidence
 * or enqueues the next check. A check that is deferred ("pause all rollouts", or the plan changed
 * while it read) waits in the queue as the same job, so the chain goes on. A failed attempt is
 * retried; a chain that is lost altogether is restarted by the reconciler.
 */
export const guardCheck: JobHandler<'guard-check'> = async (job, c, token) => {
  const result = await c.guardChecker.check(job.data, job.id!);
  if (result.outcome === 'deferred') {
    await job.moveToDelayed(Date.now() + result.retryInMs, token);
    throw new DelayedError();
  }
  return result;
};
