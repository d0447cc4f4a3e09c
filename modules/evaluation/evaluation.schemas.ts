import { z } from 'zod';
import { OPERATORS } from '../../core/constraints';
import type { EvaluationErrorCode, Reason } from '../../core/evaluate';
import { ruleView } from '../flags/rules.schemas';

export const evaluationReason = z.enum([
  'DISABLED',
  'STATIC',
  'TARGETING_MATCH',
  'SPLIT',
  'DEFAULT',
  'ERROR',
] as const satisfies readonly Reason[]);
export const evaluationErrorCode = z.enum([
  'TARGETING_KEY_MISSING',
  'INVALID_CONTEXT',
] as const satisfies readonly EvaluationErrorCode[]);

const constraintExplanationView = z
  .object({
    attribute: z.string(),
    operator: z.enum(OPERATORS),
    values: z.array(z.string()),
    actual: z.union([z.string(), z.number(), z.boolean(), z.null()]),
    holds: z.boolean(),
  })
  .meta({ id: 'ConstraintExplanation' });

const ruleExplanationView = z
  .object({
    index: z.number().int(),
    rule: ruleView,
    kind: z.enum(['tenant', 'segment', 'percent']).optional(),
    outcome: z.enum(['match', 'no_match', 'missing_attribute', 'not_evaluated']),
    segmentMatched: z.boolean().optional(),
    stickiness: z.string().optional(),
    bucket: z.number().optional(),
    threshold: z.number().optional(),
    segment: z
      .object({
        id: z.string(),
        name: z.string().nullable(),
        matched: z.boolean(),
        constraints: z.array(constraintExplanationView),
      })
      .optional(),
  })
  .meta({ id: 'RuleExplanation' });

/** The playground's answer for one flag: the value and why. */
export const flagExplanationView = z
  .object({
    flagId: z.string(),
    key: z.string(),
    enabled: z.boolean(),
    version: z.number().int(),
    value: z.boolean(),
    reason: evaluationReason,
    variant: z.enum(['on', 'off']),
    ruleIndex: z.number().int().nullable(),
    errorCode: evaluationErrorCode.optional(),
    errorDetails: z.string().optional(),
    rules: z.array(ruleExplanationView),
  })
  .meta({ id: 'FlagExplanation' });
