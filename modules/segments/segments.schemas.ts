import { z } from 'zod';
import { constraintValuesProblem, OPERATORS } from '../../core/constraints';
import { attributeName, booleanQuery, cursor, description, limit, reasonBody } from '../platform/schemas';

export const constraint = z
  .strictObject({
    attribute: attributeName,
    operator: z.enum(OPERATORS),
    values: z.array(z.string().min(1).max(200)).max(1000),
  })
  .superRefine((c, ctx) => {
    const problem = constraintValuesProblem(c.operator, c.values);
    if (problem) ctx.addIssue({ code: 'custom', path: ['values'], message: problem });
  });

export const segmentName = z.string().trim().min(1).max(100);
const constraints = z.array(constraint).min(1).max(50);

export const createSegmentBody = z.strictObject({
  name: segmentName,
  description: description.default(''),
  constraints,
});

export const updateSegmentBody = z
  .strictObject({
    name: segmentName.optional(),
    description: description.optional(),
    constraints: constraints.optional(),
  })
  .refine(
    (b) => b.name !== undefined || b.description !== undefined || b.constraints !== undefined,
    'must change name, description or constraints',
  );

export const segmentActionBody = reasonBody;

export const listSegmentsQuery = z.strictObject({
  q: z.string().max(200).optional(),
  archived: booleanQuery.default(false),
  limit,
  cursor,
});
export type ListSegmentsQuery = z.infer<typeof listSegmentsQuery>;

export const segmentView = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    constraints: z.array(z.object({ attribute: z.string(), operator: z.enum(OPERATORS), values: z.array(z.string()) })),
    version: z.number().int(),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Segment' });
export type SegmentView = z.infer<typeof segmentView>;

export const segmentDetail = segmentView
  .extend({ usedBy: z.array(z.object({ id: z.string(), key: z.string() })) })
  .meta({ id: 'SegmentDetail' });
