// The API's shapes are generated from /openapi.json (schema.d.ts, `npm run api:types`); the domain's own constants and
// rules come from core/ (pure TypeScript). Neither is written twice, so the UI cannot drift from the API.
import { roleAllows, type Role } from '../../../core/permissions';
import { ACTIVE_STATUSES, type PlanAction, type PlanStatus } from '../../../core/rollout-plan';
import type { components, operations } from './schema';

type Schemas = components['schemas'];
/** The JSON body an operation takes. */
export type RequestBody<Op extends keyof operations> = operations[Op] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export { ROLES, type Role } from '../../../core/permissions';
export { OPERATORS, type Constraint, type Operator } from '../../../core/constraints';

export function roleAtLeast(role: Role | null | undefined, needed: Role): boolean {
  return !!role && roleAllows(role, needed);
}

export type Me = Schemas['Me'];
export type User = Me['user'];
export type TenantMembership = Me['tenants'][number];

export type Flag = Schemas['Flag'];
export type Actor = Schemas['Actor'];
export type AuditEvent = Schemas['AuditEvent'];
export type FlagDetail = Schemas['FlagDetail'];
export type FlagUsage = Schemas['FlagUsage'];

/** The list envelope of every list answer (the error contract's success rules). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type SwitchState = Schemas['SwitchState'];
export type TenantSettings = Schemas['TenantSettings'];

export type BulkItem = Schemas['BulkFlagResult']['items'][number];

// ---- targeting

export type Rule = Schemas['Rule'];
export type TenantRule = Extract<Rule, { kind: 'tenant' }>;
export type SegmentRule = Extract<Rule, { kind: 'segment' }>;
export type PercentRule = Extract<Rule, { kind: 'percent' }>;
/** A rule as PUT sends it: `planId` belongs to rollout plans only. */
export type RuleInput = RequestBody<'replaceFlagRules'>['rules'][number];
export type FlagRules = Schemas['FlagRules'];

export type Segment = Schemas['Segment'];
export type SegmentDetail = Schemas['SegmentDetail'];

// ---- playground

export type FlagExplanation = Schemas['FlagExplanation'];
export type RuleExplanation = Schemas['RuleExplanation'];
export type ConstraintExplanation = Schemas['ConstraintExplanation'];
export type EvaluationReason = FlagExplanation['reason'];
export type ContextValue = RequestBody<'explainEvaluations'>['context'][string];

// ---- rollout plans

export { PLAN_STATUSES, type AvailableAction, type PlanStatus } from '../../../core/rollout-plan';
export const ACTIVE_PLAN_STATUSES: readonly PlanStatus[] = ACTIVE_STATUSES;
export type PlanActionVerb = Exclude<PlanAction, 'edit'>;

export type Plan = Schemas['RolloutPlan'];
export type PlanDetail = Schemas['RolloutPlanDetail'];
export type Stage = Plan['stages'][number];
export type FailureReason = Schemas['FailureReason'];
export type Transition = Schemas['PlanTransition'];
export type RolloutTemplate = Schemas['RolloutTemplate'];
export { GUARD_DEFAULTS, INCONCLUSIVE_LIMIT, MAX_GUARDS, SRM_P_VALUE } from '../../../core/guards';
export type Guard = Plan['guards'][number];
export type EventGuard = Extract<Guard, { kind: 'event_share' | 'event_mean' }>;
export type PrometheusGuard = Extract<Guard, { kind: 'prometheus' }>;
export type GuardEvidence = Schemas['GuardEvidence'];
export type GuardChecks = Schemas['GuardChecks'];
export type GuardCheck = GuardChecks['checks'][number];

// ---- notifications, webhooks, tokens

export type Notification = Schemas['Notification'];
export type NotificationEvent = Notification['event'];
/** Every event, in the order the settings screen lists them: a record, so an event the API adds fails to compile until placed. */
const eventOrder = {
  'plan.started': true,
  'plan.advanced': true,
  'plan.awaiting_approval': true,
  'plan.paused': true,
  'plan.failed': true,
  'plan.completed': true,
  'plan.aborted': true,
  'plan.guard_tripped': true,
  'flag.kill_switch': true,
} satisfies Record<NotificationEvent, true>;
export const NOTIFICATION_EVENTS = Object.keys(eventOrder) as NotificationEvent[];

export type Webhook = Schemas['Webhook'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type ApiToken = Schemas['ApiToken'];
export type CreatedApiToken = Schemas['CreatedApiToken'];
