import { DelayedError, UnrecoverableError } from 'bullmq';
import { failureOf } from '../../modules/rollout-plans/rollout-runner';
import { attemptOf, type JobHandler } from './job-handler';

/**
 * Moves a plan to `job.data.stage` when due. A failed attempt records its reason on the plan
 * and is retried with backoff; the last attempt, or a failure that cannot succeed, fails the
 * plan. A job that arrives early (the plan was resumed later) waits for the plan's due time.
 */
export const advancePlan: JobHandler<'advance-plan'> = async (job, c, token) => {
  const { attempt, final } = attemptOf(job);
  const jobId = job.id!;
  let result;
  try {
    result = await c.rolloutRunner.advance(job.data, jobId, attempt);
  } catch (err) {
    const failure = failureOf(err);
    await c.rolloutRunner.recordFailure(job.data, jobId, attempt, failure, final || !failure.retryable);
    throw failure.retryable ? err : new UnrecoverableError(`${failure.code}: ${failure.message}`);
  }
  if (result.outcome === 'not_due' || result.outcome === 'awaiting_guards') {
    await job.moveToDelayed(Date.now() + result.waitMs, token);
    throw new DelayedError();
  }
  return result;
};
