import { z } from 'zod';
import type { Container } from '../../modules/platform/container';
import { route } from '../http/route';
import { auditEventView } from '../../modules/audit/audit.schemas';
import { cursor, limit, listOf } from '../../modules/platform/schemas';

export function auditRoutes(c: Container) {
  return [
    route({
      method: 'get',
      path: '/admin/audit-events',
      access: 'viewer',
      tag: 'audit',
      operationId: 'listAuditEvents',
      response: listOf(auditEventView),
      summary: 'The audit log of this tenant, newest first',
      query: z.strictObject({
        resourceType: z.string().max(50).optional(),
        resourceId: z.string().max(200).optional(),
        actorId: z.string().max(200).optional(),
        action: z.string().max(80).optional(),
        since: z.iso
          .datetime({ offset: true })
          .transform((s) => new Date(s))
          .optional(),
        until: z.iso
          .datetime({ offset: true })
          .transform((s) => new Date(s))
          .optional(),
        limit,
        cursor,
      }),
      handler: ({ query }, ctx) => c.audit.list(ctx.tenant.id, query),
    }),
  ];
}
