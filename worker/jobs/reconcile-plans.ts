import type { JobHandler } from './job-handler';

const DELIVERY_GRACE_MS = 60_000;

/** The repeating safety net: re-enqueues due plans and webhook deliveries whose jobs were lost. */
export const reconcilePlans: JobHandler<'reconcile-plans'> = async (_job, c) => {
  const plans = await c.rolloutRunner.reconcile({ graceMs: c.config.rollouts.reconcileGraceMs });
  const deliveries = await c.notifications.requeuePending(new Date(c.clock.now().getTime() - DELIVERY_GRACE_MS));
  return { ...plans, deliveries };
};
