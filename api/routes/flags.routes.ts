import type { Container } from '../../modules/platform/container';
import {
  bulkFlagActionBody,
  bulkFlagResultView,
  createFlagBody,
  flagActionBody,
  flagDetailView,
  flagView,
  listFlagsQuery,
  updateFlagBody,
} from '../../modules/flags/flags.schemas';
import { route } from '../http/route';
import { idParams, listOf } from '../../modules/platform/schemas';

export function flagRoutes(c: Container) {
  const toggle = (enabled: boolean) =>
    route({
      method: 'post',
      path: `/admin/feature-flags/:id/actions/${enabled ? 'enable' : 'disable'}`,
      access: 'editor',
      tag: 'feature-flags',
      operationId: enabled ? 'enableFlag' : 'disableFlag',
      summary: enabled ? 'Enable a flag' : 'Disable a flag (the kill switch): off for everyone, whatever its rules',
      params: idParams,
      body: flagActionBody,
      response: flagView,
      handler: ({ params, body }, ctx) => c.flags.setEnabled(ctx.action(body.reason), params.id, enabled, ctx.ifMatch),
    });
  const bulk = (enabled: boolean) =>
    route({
      method: 'post',
      path: `/admin/feature-flags/actions/${enabled ? 'enable' : 'disable'}`,
      access: 'editor',
      tag: 'feature-flags',
      operationId: enabled ? 'enableFlags' : 'disableFlags',
      response: bulkFlagResultView,
      summary: `${enabled ? 'Enable' : 'Disable'} many flags; answered per id`,
      body: bulkFlagActionBody,
      handler: ({ body }, ctx) => c.flags.bulkSetEnabled(ctx.action(body.reason), body.ids, enabled),
    });
  return [
    route({
      method: 'get',
      path: '/admin/feature-flags',
      access: 'viewer',
      tag: 'feature-flags',
      operationId: 'listFlags',
      summary: 'List flags (q searches key and description)',
      query: listFlagsQuery,
      response: listOf(flagView),
      handler: ({ query }, ctx) => c.flags.list(ctx.tenant.id, query),
    }),
    route({
      method: 'post',
      path: '/admin/feature-flags',
      access: 'editor',
      tag: 'feature-flags',
      operationId: 'createFlag',
      summary: 'Create a flag',
      body: createFlagBody,
      response: flagView,
      status: 201,
      location: (f: { id: string }) => `/admin/feature-flags/${f.id}`,
      handler: ({ body }, ctx) => c.flags.create(ctx.action(), body),
    }),
    bulk(true),
    bulk(false),
    route({
      method: 'get',
      path: '/admin/feature-flags/:id',
      access: 'viewer',
      tag: 'feature-flags',
      operationId: 'getFlag',
      summary: 'A flag with its last 10 audit events',
      params: idParams,
      response: flagDetailView,
      handler: ({ params }, ctx) => c.flags.get(ctx.tenant.id, params.id),
    }),
    route({
      method: 'patch',
      path: '/admin/feature-flags/:id',
      access: 'editor',
      tag: 'feature-flags',
      operationId: 'updateFlag',
      summary: 'Edit description or tags (send If-Match with the version you read)',
      params: idParams,
      body: updateFlagBody,
      response: flagView,
      handler: ({ params, body }, ctx) => c.flags.update(ctx.action(), params.id, body, ctx.ifMatch),
    }),
    toggle(true),
    toggle(false),
    route({
      method: 'post',
      path: '/admin/feature-flags/:id/actions/archive',
      access: 'editor',
      tag: 'feature-flags',
      operationId: 'archiveFlag',
      summary: 'Archive a flag: it is disabled, hidden from lists and no longer evaluated',
      params: idParams,
      body: flagActionBody,
      response: flagView,
      handler: ({ params, body }, ctx) => c.flags.archive(ctx.action(body.reason), params.id, ctx.ifMatch),
    }),
  ];
}
