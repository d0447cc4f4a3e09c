import { z } from 'zod';
import { evaluationErrorCode, evaluationReason } from '../../modules/evaluation/evaluation.schemas';

/**
 * What the OFREP handler answers, for /openapi.json and the contract test. The handler writes
 * pre-serialized JSON (tenant-snapshot.ts), so these schemas describe it rather than build it.
 */
/** Not named: a named schema is a response view (see openapi.ts). */
export const ofrepRequest = z.object({
  context: z.record(z.string(), z.unknown()).optional().meta({
    description:
      'The evaluation context; `targetingKey` (a string) is what percent rules bucket by unless they name another attribute',
  }),
});

export const ofrepEvaluation = z
  .strictObject({
    key: z.string(),
    value: z.boolean(),
    reason: evaluationReason,
    variant: z.enum(['on', 'off']),
    metadata: z.strictObject({ version: z.number().int() }),
  })
  .meta({ id: 'OfrepEvaluation' });

/** A flag that could not be evaluated for this context (alone: 400; in a bulk answer: one of its entries). */
export const ofrepFlagError = z
  .strictObject({ key: z.string(), errorCode: evaluationErrorCode, errorDetails: z.string() })
  .meta({ id: 'OfrepFlagError' });

export const ofrepBulkEvaluation = z
  .strictObject({ flags: z.array(z.union([ofrepEvaluation, ofrepFlagError])) })
  .meta({ id: 'OfrepBulkEvaluation' });

export const ofrepError = z
  .strictObject({
    key: z.string().optional(),
    errorCode: z.enum(['PARSE_ERROR', 'INVALID_CONTEXT', 'FLAG_NOT_FOUND', 'GENERAL']).optional(),
    errorDetails: z.string(),
  })
  .meta({ id: 'OfrepError' });
