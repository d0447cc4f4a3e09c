import { z } from 'zod';
import { auditEventView } from '../audit/audit.schemas';
import { booleanQuery, cursor, description, limit, reason, reasonBody } from '../platform/schemas';

export const FLAG_KEY_RE = /^[a-z0-9][a-z0-9._-]{0,127}$/;
export const flagKey = z
  .string()
  .regex(FLAG_KEY_RE, 'must match ^[a-z0-9][a-z0-9._-]{0,127}$ (lowercase letters, digits, . _ -)');
export const tag = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._:-]{0,49}$/, 'must be 1–50 lowercase letters, digits or . _ : -');
export const tags = z
  .array(tag)
  .max(20)
  .refine((t) => new Set(t).size === t.length, 'must not repeat a tag');

export const createFlagBody = z.strictObject({
  key: flagKey,
  description: description.default(''),
  tags: tags.default([]),
  enabled: z.boolean().default(false),
});

export const updateFlagBody = z
  .strictObject({ description: description.optional(), tags: tags.optional() })
  .refine((b) => b.description !== undefined || b.tags !== undefined, 'must change description or tags');

export const flagActionBody = reasonBody;

export const bulkFlagActionBody = z.strictObject({
  ids: z.array(z.string().max(100)).min(1).max(500),
  reason: reason.optional(),
});

export const flagSortFields = ['key', 'updatedAt', 'createdAt'] as const;

export const listFlagsQuery = z.strictObject({
  q: z.string().max(200).optional(),
  enabled: booleanQuery.optional(),
  tag: tag.optional(),
  archived: booleanQuery.default(false),
  rollout: z.enum(['active']).optional().meta({
    description:
      'active: only flags with an active rollout plan (scheduled, running, awaiting approval, paused or failed)',
  }),
  sort: z.enum(['key', '-key', 'updatedAt', '-updatedAt', 'createdAt', '-createdAt']).default('key'),
  limit,
  cursor,
});

export type ListFlagsQuery = z.infer<typeof listFlagsQuery>;

export const flagView = z
  .object({
    id: z.string(),
    key: z.string(),
    description: z.string(),
    enabled: z.boolean(),
    tags: z.array(z.string()),
    version: z.number().int(),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Flag' });
export type FlagView = z.infer<typeof flagView>;

export const flagDetailView = flagView
  .extend({ recentAuditEvents: z.array(auditEventView) })
  .meta({ id: 'FlagDetail' });

/** A bulk action answers per id: the flag after the change, or why it could not change. */
export const bulkFlagResultView = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        status: z.number().int(),
        flag: flagView.optional(),
        error: z.object({ code: z.string(), message: z.string() }).optional(),
      }),
    ),
  })
  .meta({ id: 'BulkFlagResult' });
