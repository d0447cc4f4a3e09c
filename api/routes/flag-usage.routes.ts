import { z } from 'zod';
import type { Container } from '../../modules/platform/container';
import { route } from '../http/route';
import { idParams } from '../../modules/platform/schemas';

export function flagUsageRoutes(c: Container) {
  return [
    route({
      method: 'get',
      path: '/admin/feature-flags/:id/usage',
      access: 'viewer',
      tag: 'feature-flags',
      operationId: 'getFlagUsage',
      summary: 'How often the flag was evaluated in the last 24 hours (for the rollout preview)',
      params: idParams,
      response: z
        .object({
          flagId: z.string(),
          windowHours: z.number().int(),
          evaluations: z.number().int(),
          lastEvaluatedAt: z.string().nullable(),
        })
        .meta({ id: 'FlagUsage' }),
      handler: ({ params }, ctx) => c.flags.usage(ctx.tenant.id, params.id),
    }),
  ];
}
