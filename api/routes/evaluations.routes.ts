import { z } from 'zod';
import type { Container } from '../../modules/platform/container';
import { flagExplanationView } from '../../modules/evaluation/evaluation.schemas';
import { flagKey } from '../../modules/flags/flags.schemas';
import { route } from '../http/route';

const contextValue = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);

export function evaluationRoutes(c: Container) {
  return [
    route({
      method: 'post',
      path: '/admin/evaluations',
      access: 'viewer',
      tag: 'evaluations',
      operationId: 'explainEvaluations',
      response: z.object({ items: z.array(flagExplanationView) }),
      summary: 'Playground: evaluate every flag (or one) for a context and explain each result',
      readOnly: true,
      body: z.strictObject({
        context: z
          .record(z.string().max(100), contextValue)
          .refine((ctx) => Object.keys(ctx).length <= 100, 'at most 100 attributes'),
        flagKey: flagKey.optional(),
      }),
      handler: ({ body }, ctx) => c.evaluation.playground.explain(ctx.tenant.id, body.context, body.flagKey),
    }),
  ];
}
