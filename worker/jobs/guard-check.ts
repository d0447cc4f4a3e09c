import type { JobHandler } from './job-handler';

/**
 * Checks a guarded plan's stage once (`job.data.seq`), and either stops the plan on the evidence
 * or enqueues the next check. A failed attempt is retried; a chain that is lost altogether is
 * restarted by the reconciler.
 */
export const guardCheck: JobHandler<'guard-check'> = async (job, c) => c.guardChecker.check(job.data, job.id!);
