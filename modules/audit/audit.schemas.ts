import { z } from 'zod';

export const actorView = z
  .object({ type: z.enum(['user', 'token', 'system']), id: z.string(), label: z.string() })
  .meta({ id: 'Actor' });

export const auditEventView = z
  .object({
    id: z.string(),
    tenantId: z.string().nullable(),
    actor: actorView,
    action: z.string(),
    resourceType: z.string(),
    resourceId: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    requestId: z.string().nullable(),
    jobId: z.string().nullable(),
    idempotencyKey: z.string().nullable(),
    reason: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'AuditEvent' });
