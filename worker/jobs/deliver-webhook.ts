import { UnrecoverableError } from 'bullmq';
import { DeliveryFailedError } from '../../modules/notifications/webhooks.service';
import { attemptOf, type JobHandler } from './job-handler';

/** One signed POST of a webhook delivery; a refused attempt throws and is retried with backoff, a blocked one is not. */
export const deliverWebhook: JobHandler<'deliver-webhook'> = async (job, c) => {
  const { attempt, final } = attemptOf(job);
  try {
    return await c.webhooks.deliver(job.data, attempt, final);
  } catch (err) {
    if (err instanceof DeliveryFailedError && !err.retryable) throw new UnrecoverableError(err.message);
    throw err;
  }
};
