// the domain's own constants and rules (core/ is pure TypeScript), so the UI cannot drift from the API
import type { Constraint } from '../../../core/constraints';
import { roleAllows, type Role } from '../../../core/permissions';
import { ACTIVE_STATUSES, type AvailableAction, type PlanAction, type PlanStatus } from '../../../core/rollout-plan';

export { ROLES, type Role } from '../../../core/permissions';
export { OPERATORS, type Constraint, type Operator } from '../../../core/constraints';

export function roleAtLeast(role: Role | null | undefined, needed: Role): boolean {
  return !!role && roleAllows(role, needed);
}

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface TenantMembership {
  id: string;
  slug: string;
  name: string;
  kind: string;
  role: Role;
}

export interface Me {
  user: User;
  tenants: TenantMembership[];
  csrfToken: string;
}

export interface Flag {
  id: string;
  key: string;
  description: string;
  enabled: boolean;
  tags: string[];
  version: number;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Actor {
  type: string;
  id: string;
  label: string;
}

export interface AuditEvent {
  id: string;
  actor: Actor;
  action: string;
  resourceType?: string;
  resourceId?: string;
  before: unknown;
  after: unknown;
  reason?: string | null;
  requestId?: string | null;
  jobId?: string | null;
  createdAt: string;
}

export interface FlagDetail extends Flag {
  recentAuditEvents: AuditEvent[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface SwitchState {
  on: boolean;
  reason: string | null;
  changedAt: string | null;
  changedBy: string | null;
}

export interface TenantSettings {
  adminWrites: {
    config: boolean;
    tenant: SwitchState;
    effective: boolean;
  };
  /** Global: while on, the worker holds every rollout plan in every tenant. */
  rolloutsPaused?: SwitchState;
}

export type BulkItem = { id: string; status: number; flag?: Flag; error?: { code: string; message: string } };

// ---- targeting

export type TenantRule = { kind: 'tenant'; tenantIds: string[] };
export type SegmentRule = { kind: 'segment'; segmentId: string };
export type PercentRule = { kind: 'percent'; percent: number; stickiness: string; groupId?: string; segmentId?: string; planId?: string };
export type Rule = TenantRule | SegmentRule | PercentRule;
/** A rule as PUT sends it: `planId` belongs to rollout plans only. */
export type RuleInput = TenantRule | SegmentRule | Omit<PercentRule, 'planId'>;

export interface FlagRules {
  flagId: string;
  flagKey: string;
  version: number;
  rules: Rule[];
}

export interface Segment {
  id: string;
  name: string;
  description: string;
  constraints: Constraint[];
  version: number;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SegmentDetail extends Segment {
  usedBy: { id: string; key: string }[];
}

// ---- playground

export type EvaluationReason = 'DISABLED' | 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DEFAULT' | 'ERROR';

export interface ConstraintExplanation extends Constraint {
  actual: string | number | boolean | null;
  holds: boolean;
}

export interface RuleExplanation {
  index: number;
  rule: Rule;
  kind?: Rule['kind'];
  outcome: 'match' | 'no_match' | 'missing_attribute' | 'not_evaluated';
  segmentMatched?: boolean;
  stickiness?: string;
  bucket?: number;
  threshold?: number;
  segment?: { id: string; name: string | null; matched: boolean; constraints: ConstraintExplanation[] };
}

export interface FlagExplanation {
  flagId: string;
  key: string;
  enabled: boolean;
  version: number;
  value: boolean;
  reason: EvaluationReason;
  variant: 'on' | 'off';
  ruleIndex: number | null;
  errorCode?: string;
  errorDetails?: string;
  rules: RuleExplanation[];
}

export type ContextValue = string | number | boolean | null;

// ---- rollout plans

export { PLAN_STATUSES, type AvailableAction, type PlanStatus } from '../../../core/rollout-plan';
export const ACTIVE_PLAN_STATUSES: readonly PlanStatus[] = ACTIVE_STATUSES;
export type PlanActionVerb = Exclude<PlanAction, 'edit'>;

export interface Stage {
  percent: number;
  holdSeconds: number;
  requiresApproval: boolean;
}

export interface FailureReason {
  code: string;
  message: string;
  attempt: number;
  at: string;
}

export interface Plan {
  id: string;
  flagId: string;
  flagKey: string;
  status: PlanStatus;
  stages: Stage[];
  stickiness: string;
  currentStage: number;
  currentPercent: number | null;
  startAt: string | null;
  nextAdvanceAt: string | null;
  rollbackPercent: number;
  pauseReason: 'MANUAL' | 'KILL_SWITCH' | 'ROLLED_BACK' | null;
  lastFailure: FailureReason | null;
  attempts: number;
  createdBy: Actor;
  approvedBy: Actor | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Transition {
  seq: number;
  event: string;
  fromStatus: string;
  toStatus: string;
  fromStage: number;
  toStage: number;
  fromPercent: number | null;
  toPercent: number | null;
  actor: Actor;
  jobId: string | null;
  attempt: number | null;
  reason: string | null;
  at: string;
}

export interface PlanDetail extends Plan {
  transitions: Transition[];
  nextDueAt: string | null;
  heldByPauseAll: boolean;
  job: { queue: string; id: string; state: string; url: string } | null;
  /** What the signed-in person may do now, as the API decides it. */
  actions: AvailableAction[];
}

export interface RolloutTemplate {
  id: string;
  name: string;
  stages: Stage[];
}

// ---- notifications, webhooks, tokens

export const NOTIFICATION_EVENTS = [
  'plan.started',
  'plan.advanced',
  'plan.awaiting_approval',
  'plan.paused',
  'plan.failed',
  'plan.completed',
  'plan.aborted',
  'flag.kill_switch',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export interface Notification {
  id: string;
  event: NotificationEvent;
  title: string;
  payload: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
  readBy: string | null;
}

export interface Webhook {
  id: string;
  url: string;
  events: NotificationEvent[];
  enabled: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  event: NotificationEvent;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  scope: 'admin' | 'evaluation';
  role: Role | null;
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}
