import { z } from 'zod';
import { NotFoundError } from '../../core/errors';
import { FlagUsageRepository } from '../../modules/flags/flag-usage.repository';
import type { Container } from '../../modules/platform/container';
import { route } from '../http/route';
import { idParams } from './common';

const WINDOW_HOURS = 24;

export function flagUsageRoutes(c: Container) {
  const usage = new FlagUsageRepository(c.db);
  return [
    route({
      method: 'get',
      path: '/admin/feature-flags/:id/usage',
      access: 'viewer',
      tag: 'feature-flags',
      summary: 'How often the flag was evaluated in the last 24 hours (for the rollout preview)',
      params: idParams,
      response: z.object({ flagId: z.string(), windowHours: z.number().int(), evaluations: z.number().int(), lastEvaluatedAt: z.string().nullable() }),
      handler: async ({ params }, ctx) => {
        const flag = await c.repos.flags.find(ctx.tenant.id, params.id);
        if (!flag) throw new NotFoundError('Feature flag');
        return usage.lastHours(ctx.tenant.id, flag.id, WINDOW_HOURS, c.clock.now());
      },
    }),
  ];
}
