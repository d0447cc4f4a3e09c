import { z } from 'zod';
import { isPercent } from '../../core/bucketing';
import type { Rule } from '../../core/evaluate';
import { UUID_RE } from '../platform/ids';
import { attributeName } from '../platform/schemas';

/** The rule types, shared with rollout plans (which own percent rules carrying `planId`). */
export type { Rule };
export type TenantRule = Extract<Rule, { kind: 'tenant' }>;
export type SegmentRule = Extract<Rule, { kind: 'segment' }>;
export type PercentRule = Extract<Rule, { kind: 'percent' }>;

export const isPlanOwned = (r: Rule): boolean => r.kind === 'percent' && r.planId !== undefined;

const segmentId = z.string().regex(UUID_RE, 'must be a segment id');
export const percent = z.number().refine(isPercent, 'must be 0–100 in steps of 0.01');

const tenantRule = z.strictObject({
  kind: z.literal('tenant'),
  tenantIds: z.array(z.string().min(1).max(200)).min(1).max(1000),
});
const segmentRule = z.strictObject({ kind: z.literal('segment'), segmentId });
const percentRule = z.strictObject({
  kind: z.literal('percent'),
  percent,
  stickiness: attributeName.default('targetingKey'),
  groupId: z.string().min(1).max(200).optional(),
  segmentId: segmentId.optional(),
});

/** A rule as a PUT body gives it: `planId` is set by rollout plans only, never accepted here. */
export const ruleInput = z.discriminatedUnion('kind', [tenantRule, segmentRule, percentRule]);
export const replaceRulesBody = z.strictObject({ rules: z.array(ruleInput).max(50) });

export const ruleView = z
  .discriminatedUnion('kind', [tenantRule, segmentRule, percentRule.extend({ planId: z.string().optional() })])
  .meta({ id: 'Rule' });
export const rulesView = z
  .object({ flagId: z.string(), flagKey: z.string(), version: z.number().int(), rules: z.array(ruleView) })
  .meta({ id: 'FlagRules' });
export type RulesView = { flagId: string; flagKey: string; version: number; rules: Rule[] };
