import type { Actor, PlanStatus, Transition } from '@/api/types';
import { PLAN_STATUS_LABELS } from './describe';

/** How a plan's history names each transition's event. */
const EVENT_LABELS: Record<string, string> = {
  start: 'Started',
  due: 'Advanced on schedule',
  advance: 'Advanced by hand',
  approve: 'Approved',
  pause: 'Paused',
  kill_switch: 'Kill switch',
  resume: 'Resumed',
  rollback: 'Rolled back',
  abort: 'Aborted',
  retry: 'Retried',
  fail: 'Failed',
  edit: 'Edited',
  guard_pause: 'Paused by a guard',
  guard_rollback: 'Rolled back by a guard',
};

/** What happened: the event's name, except that reaching an approval gate reads as the wait it starts. */
export function eventLabel(t: Pick<Transition, 'event' | 'fromStatus' | 'toStatus'>): string {
  if (t.toStatus === 'awaiting_approval' && t.fromStatus !== 'awaiting_approval') return 'Waiting for approval';
  return EVENT_LABELS[t.event] ?? t.event;
}

/** A state's label; a state this screen does not know shows as the API names it. */
export const statusLabel = (s: string): string => PLAN_STATUS_LABELS[s as PlanStatus] ?? s;

export const actorIcon = (type: Actor['type']): string =>
  type === 'system' ? 'pi-cog' : type === 'token' ? 'pi-key' : 'pi-user';

/** The queue board's page of a worker job; the plan's queue unless it has no job now. */
export const jobLink = (queue: string | undefined, jobId: string): string =>
  `/admin/queues/queue/${encodeURIComponent(queue ?? 'rollout-advances')}/${encodeURIComponent(jobId)}`;
