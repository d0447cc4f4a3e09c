import type { Container } from '../../modules/platform/container';
import {
  createSegmentBody,
  listSegmentsQuery,
  segmentActionBody,
  segmentDetail,
  segmentView,
  updateSegmentBody,
} from '../../modules/segments/segments.schemas';
import { route } from '../http/route';
import { idParams, listOf } from '../../modules/platform/schemas';

export function segmentRoutes(c: Container) {
  return [
    route({
      method: 'get',
      path: '/admin/segments',
      access: 'viewer',
      tag: 'segments',
      operationId: 'listSegments',
      summary: 'List segments by name (q searches name and description)',
      query: listSegmentsQuery,
      response: listOf(segmentView),
      handler: ({ query }, ctx) => c.segments.list(ctx.tenant.id, query),
    }),
    route({
      method: 'post',
      path: '/admin/segments',
      access: 'editor',
      tag: 'segments',
      operationId: 'createSegment',
      summary: 'Create a segment: constraints on context attributes, all of which must hold',
      body: createSegmentBody,
      response: segmentView,
      status: 201,
      location: (s: { id: string }) => `/admin/segments/${s.id}`,
      handler: ({ body }, ctx) => c.segments.create(ctx.action(), body),
    }),
    route({
      method: 'get',
      path: '/admin/segments/:id',
      access: 'viewer',
      tag: 'segments',
      operationId: 'getSegment',
      summary: 'A segment with the flags whose rules use it',
      params: idParams,
      response: segmentDetail,
      handler: ({ params }, ctx) => c.segments.get(ctx.tenant.id, params.id),
    }),
    route({
      method: 'patch',
      path: '/admin/segments/:id',
      access: 'editor',
      tag: 'segments',
      operationId: 'updateSegment',
      summary: 'Edit name, description or constraints (send If-Match with the version you read)',
      params: idParams,
      body: updateSegmentBody,
      response: segmentView,
      handler: ({ params, body }, ctx) => c.segments.update(ctx.action(), params.id, body, ctx.ifMatch),
    }),
    route({
      method: 'post',
      path: '/admin/segments/:id/actions/archive',
      access: 'editor',
      tag: 'segments',
      operationId: 'archiveSegment',
      summary: 'Archive a segment (409 while a rule uses it)',
      params: idParams,
      body: segmentActionBody,
      response: segmentView,
      handler: ({ params, body }, ctx) => c.segments.archive(ctx.action(body.reason), params.id, ctx.ifMatch),
    }),
  ];
}
