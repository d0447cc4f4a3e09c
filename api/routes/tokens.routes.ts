import { z } from 'zod';
import { ROLES } from '../../core/permissions';
import type { Container } from '../../modules/platform/container';
import { route } from '../http/route';
import { apiTokenView, createdApiTokenView } from '../../modules/auth/auth.schemas';
import { idParams, listOf, pageQuery, reasonBody } from '../../modules/platform/schemas';

export function tokenRoutes(c: Container) {
  return [
    route({
      method: 'get',
      path: '/admin/api-tokens',
      access: 'admin',
      tag: 'api-tokens',
      operationId: 'listApiTokens',
      response: listOf(apiTokenView),
      summary: 'List API tokens (never their secrets)',
      query: pageQuery,
      handler: ({ query }, ctx) => c.auth.listTokens(ctx.tenant.id, query.limit, query.cursor),
    }),
    route({
      method: 'post',
      path: '/admin/api-tokens',
      access: 'admin',
      tag: 'api-tokens',
      operationId: 'createApiToken',
      response: createdApiTokenView,
      summary: 'Create a token; the secret is in this response only',
      body: z
        .strictObject({
          name: z.string().trim().min(1).max(100),
          scope: z.enum(['admin', 'evaluation']).default('admin'),
          role: z.enum(ROLES).optional(),
          expiresInDays: z.number().int().min(1).max(3650).optional(),
        })
        .refine((b) => b.scope === 'admin' || b.role === undefined, {
          path: ['role'],
          message: 'an evaluation token has no role',
        }),
      status: 201,
      location: (b: { token: { id: string } }) => `/admin/api-tokens/${b.token.id}`,
      replayBody: (b: { token: unknown }) => ({ token: b.token, secret: null }),
      handler: ({ body }, ctx) => c.auth.createToken(ctx.action(), body),
    }),
    route({
      method: 'post',
      path: '/admin/api-tokens/:id/actions/revoke',
      access: 'admin',
      tag: 'api-tokens',
      operationId: 'revokeApiToken',
      response: apiTokenView,
      summary: 'Revoke a token at once',
      params: idParams,
      body: reasonBody,
      handler: ({ params, body }, ctx) => c.auth.revokeToken(ctx.action(body.reason), params.id),
    }),
  ];
}
