import { attemptOf, type JobHandler } from './job-handler';

/** One signed POST of a webhook delivery; a refused attempt throws and is retried with backoff. */
export const deliverWebhook: JobHandler<'deliver-webhook'> = async (job, c) => {
  const { attempt, final } = attemptOf(job);
  return c.webhooks.deliver(job.data, attempt, final);
};
