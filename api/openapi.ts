import { z } from 'zod';
import { idempotencyOf, type AnyRoute } from './http/route';
import {
  MAX_TRACK_EVENTS,
  ofrepBulkEvaluation,
  ofrepError,
  ofrepEvaluation,
  ofrepFlagError,
  ofrepRequest,
  ofrepTrackAccepted,
  ofrepTrackError,
  ofrepTrackRequest,
} from './ofrep/ofrep.schemas';

type JsonSchema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';

export const errorView = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.looseObject({ path: z.string().optional(), message: z.string() })).optional(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' });

/**
 * Collects the named schemas (`.meta({ id })`) as `components.schemas`: zod puts each in a
 * conversion's `$defs`, and every `$ref` to it is pointed at the component instead.
 */
class Components {
  readonly schemas: Record<string, JsonSchema> = {};

  toSchema(s: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const converted = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' });
    const {
      $schema: _dialect,
      $defs = {},
      ...schema
    } = JSON.parse(JSON.stringify(converted).replaceAll('"#/$defs/', `"${COMPONENTS}`)) as JsonSchema;
    for (const [id, def] of Object.entries($defs as Record<string, JsonSchema>)) {
      // a named schema is an answer's shape: as a request it would differ (defaults are optional there) under the same name
      if (io === 'input') throw new Error(`Schema ${id} is named, but used in a request; name only response views`);
      if (this.schemas[id] && JSON.stringify(this.schemas[id]) !== JSON.stringify(def))
        throw new Error(`Two different schemas are named ${id}`);
      this.schemas[id] = def;
    }
    return schema;
  }

  sorted(): Record<string, JsonSchema> {
    return Object.fromEntries(Object.entries(this.schemas).sort(([a], [b]) => a.localeCompare(b)));
  }
}

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

/** The OpenFeature Remote Evaluation Protocol, served by its own handler in front of the route table. */
function ofrepPaths(components: Components): Record<string, Record<string, unknown>> {
  const error = (description: string) => ({ description, content: json(components.toSchema(ofrepError, 'output')) });
  const common = {
    tags: ['ofrep'],
    'x-required-role': 'client token (scope "evaluation")',
    security: [{ bearer: [] }],
    requestBody: { required: false, content: json(components.toSchema(ofrepRequest, 'input')) },
  };
  const failures = {
    '400': error('PARSE_ERROR or INVALID_CONTEXT: the body is not { "context": { … } }'),
    '401': error('No, an invalid, expired or revoked client token'),
    '403': error('Not a client token'),
    '429': error('Over FLAGPOLE_EVALUATION_RATE_LIMIT for this token (Retry-After is set)'),
    '503': error('GENERAL: evaluation is unavailable; retry later'),
  };
  const { requestBody: _evaluationBody, ...trackCommon } = common;
  return {
    '/ofrep/v1/track': {
      post: {
        ...trackCommon,
        operationId: 'ofrepTrack',
        summary: `Report 1–${MAX_TRACK_EVENTS} tracking events (OpenFeature track); guarded rollouts compare their arms with them`,
        description:
          'Each event counts, in the current stage of every guarded plan of the tenant whose guards read its name, for the unit its context names ' +
          '(the plan’s stickiness attribute). Events no guarded plan reads are accepted and dropped. All events are valid or none is kept.',
        requestBody: { required: true, content: json(components.toSchema(ofrepTrackRequest, 'input')) },
        responses: {
          '202': {
            description: 'Accepted: kept in memory and written within a second',
            content: json(components.toSchema(ofrepTrackAccepted, 'output')),
          },
          '400': {
            description:
              'PARSE_ERROR (not JSON, or an invalid field) or INVALID_CONTEXT (an event’s context); `details` names each field, e.g. events[3].value',
            content: json(components.toSchema(ofrepTrackError, 'output')),
          },
          '401': failures['401'],
          '403': failures['403'],
          '413': error('PARSE_ERROR: the body is over BODY_LIMIT'),
          '415': error('PARSE_ERROR: the body is not declared as JSON (Content-Type: application/json)'),
          '429': failures['429'],
          '503': failures['503'],
        },
      },
    },
    '/ofrep/v1/evaluate/flags': {
      post: {
        ...common,
        operationId: 'ofrepEvaluateFlags',
        summary: 'Evaluate every flag of the token’s tenant for a context (ETag; If-None-Match answers 304)',
        parameters: [{ name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'Every flag, by key',
            content: json(components.toSchema(ofrepBulkEvaluation, 'output')),
          },
          '304': { description: 'The same answer as the ETag sent' },
          ...failures,
        },
      },
    },
    '/ofrep/v1/evaluate/flags/{key}': {
      post: {
        ...common,
        operationId: 'ofrepEvaluateFlag',
        summary: 'Evaluate one flag for a context',
        parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'The flag’s value and why',
            content: json(components.toSchema(ofrepEvaluation, 'output')),
          },
          ...failures,
          '400': {
            description:
              'The context cannot be evaluated for this flag (TARGETING_KEY_MISSING, INVALID_CONTEXT), or the body is invalid',
            content: json({
              oneOf: [components.toSchema(ofrepFlagError, 'output'), components.toSchema(ofrepError, 'output')],
            }),
          },
          '404': error('FLAG_NOT_FOUND: no flag with this key in the tenant'),
        },
      },
    },
  };
}

/** OpenAPI 3.1, generated from the same route table and zod schemas that validate requests (and, in tests, responses). */
export function buildOpenApi(routes: AnyRoute[], version: string) {
  const components = new Components();
  const errorSchema = components.toSchema(errorView, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  for (const r of routes) {
    if (operationIds.has(r.operationId)) throw new Error(`operationId ${r.operationId} is used twice`);
    operationIds.add(r.operationId);
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const name of r.path.match(/:(\w+)/g) ?? []) {
      parameters.push({ name: name.slice(1), in: 'path', required: true, schema: { type: 'string' } });
    }
    if (r.query) {
      const q = components.toSchema(r.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
      }
    }
    const idem = idempotencyOf(r);
    if (idem !== 'none' && r.access !== 'public' && r.access !== 'authenticated') {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: idem === 'required',
        schema: { type: 'string', minLength: 1, maxLength: 255 },
      });
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
    const status = String(r.status ?? (r.response ? 200 : 204));
    paths[path] ??= {};
    paths[path][r.method] = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      'x-required-role': r.access,
      parameters,
      ...(r.body ? { requestBody: { required: true, content: json(components.toSchema(r.body, 'input')) } } : {}),
      responses: {
        [status]: {
          description: 'Success',
          ...(r.response ? { content: json(components.toSchema(r.response, 'output')) } : {}),
        },
        default: { description: 'Error (see the error contract)', content: json(errorSchema) },
      },
      security: r.access === 'public' ? [] : [{ session: [] }, { bearer: [] }],
    };
  }
  Object.assign(paths, ofrepPaths(components));
  return {
    openapi: '3.1.0',
    info: { title: 'Flagpole API', version, description: 'Feature flags and staged rollouts, per tenant.' },
    components: {
      schemas: components.sorted(),
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'flagpole_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
    paths,
  };
}
