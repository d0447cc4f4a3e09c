import { JOB_NAMES, type JobName } from '../../modules/platform/queues';
import { advancePlan } from './advance-plan';
import { cleanup } from './cleanup';
import { deliverWebhook } from './deliver-webhook';
import { guardCheck } from './guard-check';
import type { JobHandler } from './job-handler';
import { reconcilePlans } from './reconcile-plans';

export type JobRegistry = { [N in JobName]: JobHandler<N> };

/** Every job name → its handler. A job without one does not compile, and fails the worker at boot. */
export const jobHandlers: JobRegistry = {
  'advance-plan': advancePlan,
  'guard-check': guardCheck,
  'reconcile-plans': reconcilePlans,
  cleanup,
  'deliver-webhook': deliverWebhook,
};

export function assertEveryJobHasAHandler(registry: Partial<Record<JobName, unknown>> = jobHandlers): void {
  const missing = JOB_NAMES.filter((name) => typeof registry[name] !== 'function');
  if (missing.length > 0) throw new Error(`No handler registered for job(s): ${missing.join(', ')}`);
}
