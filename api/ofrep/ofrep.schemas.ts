import { z } from 'zod';
import { evaluationErrorCode, evaluationReason } from '../../modules/evaluation/evaluation.schemas';
import { flagKey } from '../../modules/flags/flags.schemas';

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

/** Events per /ofrep/v1/track request at most. */
export const MAX_TRACK_EVENTS = 1000;
/** |value| at most: the guards' sums of squares stay far from overflowing. */
export const MAX_TRACK_VALUE = 1e15;

const trackContext = z
  .record(z.string(), z.unknown())
  .refine((c) => c.targetingKey === undefined || typeof c.targetingKey === 'string', {
    message: 'targetingKey must be a string',
    path: ['targetingKey'],
  })
  .meta({
    description:
      'The evaluation context of the unit the event is about, as sent to evaluate: the plan’s stickiness attribute names the unit',
  });

export const trackEvent = z.strictObject({
  /** The event name guards refer to (the flag-key pattern). */
  name: flagKey,
  context: trackContext,
  value: z
    .number()
    .min(-MAX_TRACK_VALUE)
    .max(MAX_TRACK_VALUE)
    .optional()
    .meta({ description: 'A finite number, e.g. a latency or an amount' }),
  timestamp: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'When it happened (ISO 8601 with offset); checked, not stored' }),
});
export type TrackEvent = z.output<typeof trackEvent>;

/** Not named: a named schema is a response view (see openapi.ts). */
export const ofrepTrackRequest = z.strictObject({ events: z.array(trackEvent).min(1).max(MAX_TRACK_EVENTS) });

export const ofrepTrackAccepted = z.strictObject({ accepted: z.number().int() }).meta({ id: 'OfrepTrackAccepted' });

/** A refused track request: the OFREP error shape, plus `details` naming each invalid field (`events[3].value`). */
export const ofrepTrackError = z
  .strictObject({
    errorCode: z.enum(['PARSE_ERROR', 'INVALID_CONTEXT', 'GENERAL']).optional(),
    errorDetails: z.string(),
    details: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'OfrepTrackError' });
