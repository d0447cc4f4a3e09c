import type { RouteLocationRaw } from 'vue-router';
import { AUDIT_ACTIONS, type AuditAction } from '../../../core/audit-actions';
// relative, not `@/`: the unit tests (outside Vite) read this file too
import type { AuditEvent } from '../api/types';
import { optionsOf } from './format';

interface ActionText {
  text: string;
  icon: string;
  tone: 'info' | 'on' | 'off' | 'warn';
}

/** What happened, as a sentence after the actor's name: one for every action core/ knows. */
const ACTIONS: Record<AuditAction, ActionText> = {
  'feature_flag.created': { text: 'created the flag', icon: 'pi-plus', tone: 'info' },
  'feature_flag.enabled': { text: 'enabled the flag', icon: 'pi-play', tone: 'on' },
  'feature_flag.disabled': { text: 'disabled the flag', icon: 'pi-power-off', tone: 'off' },
  'feature_flag.updated': { text: 'edited the flag', icon: 'pi-pencil', tone: 'info' },
  'feature_flag.archived': { text: 'archived the flag', icon: 'pi-inbox', tone: 'off' },
  'feature_flag.rules_replaced': { text: 'changed the targeting rules', icon: 'pi-sitemap', tone: 'info' },
  'rollout_plan.created': { text: 'created a rollout plan', icon: 'pi-plus', tone: 'info' },
  'rollout_plan.updated': { text: 'edited the rollout plan', icon: 'pi-pencil', tone: 'info' },
  'rollout_plan.started': { text: 'started the rollout', icon: 'pi-play', tone: 'on' },
  'rollout_plan.scheduled': { text: 'scheduled the rollout', icon: 'pi-calendar', tone: 'info' },
  'rollout_plan.advanced': { text: 'advanced the rollout', icon: 'pi-forward', tone: 'on' },
  'rollout_plan.completed': { text: 'completed the rollout', icon: 'pi-check', tone: 'on' },
  'rollout_plan.paused': { text: 'paused the rollout', icon: 'pi-pause', tone: 'warn' },
  'rollout_plan.resumed': { text: 'resumed the rollout', icon: 'pi-play', tone: 'on' },
  'rollout_plan.rolled_back': { text: 'rolled the rollout back', icon: 'pi-undo', tone: 'warn' },
  'rollout_plan.aborted': { text: 'aborted the rollout', icon: 'pi-times-circle', tone: 'off' },
  'rollout_plan.failed': { text: 'recorded that the rollout failed', icon: 'pi-exclamation-triangle', tone: 'off' },
  'rollout_plan.advance_failed': {
    text: 'could not advance the rollout',
    icon: 'pi-exclamation-triangle',
    tone: 'warn',
  },
  'rollout_plan.retried': { text: 'retried the rollout', icon: 'pi-refresh', tone: 'info' },
  'rollout_plan.guard_tripped': { text: 'stopped the rollout on a guard', icon: 'pi-shield', tone: 'off' },
  'rollout_plan.awaiting_approval': { text: 'held the rollout for approval', icon: 'pi-user-edit', tone: 'warn' },
  'rollout_plan.approved': { text: 'approved the next stage', icon: 'pi-check', tone: 'on' },
  'segment.created': { text: 'created the segment', icon: 'pi-plus', tone: 'info' },
  'segment.updated': { text: 'edited the segment', icon: 'pi-pencil', tone: 'info' },
  'segment.archived': { text: 'archived the segment', icon: 'pi-inbox', tone: 'off' },
  'settings.writes_disabled': { text: 'switched admin writes off', icon: 'pi-lock', tone: 'off' },
  'settings.writes_enabled': { text: 'switched admin writes on', icon: 'pi-lock-open', tone: 'on' },
  'settings.rollouts_paused': { text: 'paused every rollout', icon: 'pi-pause', tone: 'warn' },
  'settings.rollouts_resumed': { text: 'let rollouts move again', icon: 'pi-play', tone: 'on' },
  'api_token.created': { text: 'created an API token', icon: 'pi-key', tone: 'info' },
  'api_token.revoked': { text: 'revoked an API token', icon: 'pi-ban', tone: 'off' },
  'webhook.created': { text: 'added a webhook', icon: 'pi-send', tone: 'info' },
  'webhook.updated': { text: 'changed a webhook', icon: 'pi-pencil', tone: 'info' },
  'webhook.deleted': { text: 'deleted a webhook', icon: 'pi-trash', tone: 'off' },
  'secrets.rotated': { text: 're-encrypted the webhook secrets with the current key', icon: 'pi-key', tone: 'info' },
  'notification.read': { text: 'read a notification', icon: 'pi-envelope', tone: 'info' },
  'notification.read_all': { text: 'marked every notification read', icon: 'pi-envelope', tone: 'info' },
  'queue.jobs_retried': { text: 'retried the failed jobs of a queue', icon: 'pi-refresh', tone: 'info' },
  'queue.jobs_promoted': { text: 'ran the delayed jobs of a queue now', icon: 'pi-forward', tone: 'info' },
  'queue.jobs_cleaned': { text: 'cleaned jobs out of a queue', icon: 'pi-trash', tone: 'warn' },
  'queue.job_retried': { text: 'retried a job', icon: 'pi-refresh', tone: 'info' },
  'queue.job_cleaned': { text: 'removed a job', icon: 'pi-trash', tone: 'warn' },
  'queue.job_promoted': { text: 'ran a delayed job now', icon: 'pi-forward', tone: 'info' },
  'auth.login': { text: 'signed in', icon: 'pi-sign-in', tone: 'info' },
  'auth.logout': { text: 'signed out', icon: 'pi-sign-out', tone: 'info' },
  'user.created': { text: 'created a user', icon: 'pi-user-plus', tone: 'info' },
  'user.password_set': { text: "set a user's password", icon: 'pi-key', tone: 'info' },
  'membership.granted': { text: 'gave a user a role in the tenant', icon: 'pi-users', tone: 'info' },
  'tenant.created': { text: 'created the tenant', icon: 'pi-building', tone: 'info' },
};

const isKnown = (action: string): action is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(action);

export function describeAction(e: Pick<AuditEvent, 'action'>): ActionText {
  // events written before an action was renamed may still carry the old name
  const known = isKnown(e.action) ? ACTIONS[e.action] : undefined;
  if (known) return known;
  const [resource = '', verb = e.action] = e.action.split('.');
  return { text: `${verb.replace(/_/g, ' ')} ${resource.replace(/_/g, ' ')}`.trim(), icon: 'pi-history', tone: 'info' };
}

export const KNOWN_ACTIONS: readonly string[] = AUDIT_ACTIONS;

export const RESOURCE_TYPES = optionsOf({
  feature_flag: 'Feature flags',
  rollout_plan: 'Rollout plans',
  segment: 'Segments',
  settings: 'Settings',
  api_token: 'API tokens',
  webhook: 'Webhooks',
  queue: 'Job queues',
  notification: 'Notifications',
  session: 'Sign-ins',
});

const field = (v: unknown, name: string): string | undefined => {
  const x = v && typeof v === 'object' ? (v as Record<string, unknown>)[name] : undefined;
  return typeof x === 'string' ? x : undefined;
};

/** What the event is about, by name where the snapshot has one. */
export function resourceName(e: AuditEvent): string | undefined {
  for (const snap of [e.after, e.before]) {
    const name = field(snap, 'key') ?? field(snap, 'flagKey') ?? field(snap, 'name') ?? field(snap, 'url');
    if (name) return name;
  }
  return e.resourceId ? `${e.resourceType ?? ''} ${e.resourceId.slice(0, 8)}`.trim() : undefined;
}

export function resourceLink(e: AuditEvent, tenant: string | null): RouteLocationRaw | undefined {
  const query = tenant ? { tenant } : {};
  if (!e.resourceId) return undefined;
  switch (e.resourceType) {
    case 'feature_flag':
      return { name: 'feature-flags', query: { ...query, flag: e.resourceId } };
    case 'rollout_plan':
      return { name: 'rollout-plan', params: { id: e.resourceId }, query };
    case 'segment':
      return { name: 'segment', params: { id: e.resourceId }, query };
    default:
      return undefined;
  }
}
