import type { Container } from '../../modules/platform/container';
import { replaceRulesBody, rulesView } from '../../modules/flags/rules.schemas';
import { route } from '../http/route';
import { idParams } from '../../modules/platform/schemas';

export function ruleRoutes(c: Container) {
  return [
    route({
      method: 'get',
      path: '/admin/feature-flags/:id/rules',
      access: 'viewer',
      tag: 'feature-flags',
      operationId: 'getFlagRules',
      summary: "A flag's targeting rules, in order (ETag: the flag's version)",
      params: idParams,
      response: rulesView,
      handler: ({ params }, ctx) => c.rules.get(ctx.tenant.id, params.id),
    }),
    route({
      method: 'put',
      path: '/admin/feature-flags/:id/rules',
      access: 'editor',
      tag: 'feature-flags',
      operationId: 'replaceFlagRules',
      summary:
        'Replace the ordered rules (send If-Match with the flag version); rules owned by a rollout plan stay, after them',
      params: idParams,
      body: replaceRulesBody,
      response: rulesView,
      handler: ({ params, body }, ctx) => c.rules.replace(ctx.action(), params.id, body.rules, ctx.ifMatch),
    }),
  ];
}
