import { z } from 'zod';
import { idempotencyOf, type AnyRoute } from './http/route';

const toSchema = (s: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' });

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: { type: 'array', items: { type: 'object' } },
        requestId: { type: 'string' },
      },
    },
  },
};

/** OpenAPI 3.1, generated from the same route table and zod schemas that validate requests. */
export function buildOpenApi(routes: AnyRoute[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const name of r.path.match(/:(\w+)/g) ?? []) {
      parameters.push({ name: name.slice(1), in: 'path', required: true, schema: { type: 'string' } });
    }
    if (r.query) {
      const q = toSchema(r.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
      }
    }
    const idem = idempotencyOf(r);
    if (idem !== 'none' && r.access !== 'public' && r.access !== 'authenticated') {
      parameters.push({ name: 'Idempotency-Key', in: 'header', required: idem === 'required', schema: { type: 'string', minLength: 1, maxLength: 255 } });
    }
    if (r.access !== 'public' && r.access !== 'authenticated') {
      parameters.push({
        name: 'X-Tenant-Id',
        in: 'header',
        required: false,
        description: 'Tenant slug; needed when your login belongs to several tenants',
        schema: { type: 'string' },
      });
    }
    const status = String(r.status ?? 200);
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      tags: [r.tag],
      'x-required-role': r.access,
      parameters,
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(r.body, 'input') } } } } : {}),
      responses: {
        [status]: { description: 'Success', ...(r.response ? { content: { 'application/json': { schema: toSchema(r.response, 'output') } } } : {}) },
        default: { description: 'Error (see the error contract)', content: { 'application/json': { schema: errorSchema } } },
      },
      security: r.access === 'public' ? [] : [{ session: [] }, { bearer: [] }],
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Flagpole API', version, description: 'Feature flags and staged rollouts, per tenant.' },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'flagpole_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
    paths,
  };
}
