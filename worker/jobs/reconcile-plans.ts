import type { JobHandler } from './job-handler';

const DELIVERY_GRACE_MS = 60_000;

/** The repeating safety net: re-enqueues due plans and webhook deliveries whose jobs were lost. */
export const reconcilePlans: JobHandler<'reconcile-plans'> = async (_job, c) => {
  const plans = await c.rolloutRunner.reconcile();
  if (plans.errors.length > 0) c.logger.warn({ errors: plans.errors.slice(0, 5), count: plans.errors.length }, 'reconciler could not enqueue some plans');
  const deliveries = await c.notifications.requeuePending(new Date(c.clock.now().getTime() - DELIVERY_GRACE_MS));
  return { ...plans, errors: plans.errors.length, deliveries };
};
