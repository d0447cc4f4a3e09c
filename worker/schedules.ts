import type { Container } from '../modules/platform/container';
import type { JobName } from '../modules/platform/queues';

/** Repeating jobs, as BullMQ job schedulers (one per id, however many workers start). */
export function schedulesOf(c: Container): Array<{ name: JobName; everyMs: number }> {
  return [
    { name: 'reconcile-plans', everyMs: c.config.rollouts.reconcileEveryMs },
    { name: 'cleanup', everyMs: 3600_000 },
  ];
}

/** Installs the schedulers that are missing (all of them at boot, or after Redis lost them); returns their names. */
export async function ensureSchedules(c: Container): Promise<JobName[]> {
  const installed: JobName[] = [];
  for (const s of schedulesOf(c)) {
    const queue = c.queues.queueOf(s.name);
    if (await queue.getJobScheduler(s.name)) continue;
    await queue.upsertJobScheduler(s.name, { every: s.everyMs }, { name: s.name, data: {} });
    installed.push(s.name);
  }
  return installed;
}
