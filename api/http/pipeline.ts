import { Router, type Request, type Response } from 'express';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  AppError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
  type ErrorDetail,
} from '../../core/errors';
import { roleAllows, ROLES, type Role } from '../../core/permissions';
import { findUnsafeInput } from '../../core/safe-input';
import { actorOf, type Principal } from '../../modules/auth/auth.service';
import { IDEMPOTENCY_KEY_RE, requestFingerprint } from '../../modules/idempotency/fingerprint';
import type { StoredResponse } from '../../modules/idempotency/idempotency.store';
import type { Container } from '../../modules/platform/container';
import { safeEqual } from '../../modules/platform/ids';
import type { Tenant } from '../../modules/tenants/tenants.repository';
import { idempotencyOf, isWrite, type AnyRoute, type TenantRequestContext } from './route';
import { assertSameOrigin } from './same-origin';

export function zodDetails(error: z.ZodError, prefix?: string): ErrorDetail[] {
  return error.issues.map((i) => {
    const path = i.path.reduce<string>(
      (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
      '',
    );
    const full = [prefix, path].filter(Boolean).join('.');
    if (i.code === 'unrecognized_keys') {
      return { path: [full, i.keys.join(', ')].filter(Boolean).join('.'), message: 'is not a known field' };
    }
    return { path: full || '(root)', message: i.message };
  });
}

/** Every route's input passes findUnsafeInput before its schema, so no schema can forget text PostgreSQL refuses. */
function parse<S extends z.ZodType | undefined>(
  schema: S,
  value: unknown,
  where: 'params' | 'query' | 'body',
): unknown {
  const noun = where === 'body' ? 'Request body' : where === 'query' ? 'Query' : 'Path';
  const unsafe = findUnsafeInput(value, where === 'body' ? '' : where);
  if (unsafe) throw new ValidationError(`${noun} is invalid.`, [unsafe]);
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success)
    throw new ValidationError(`${noun} is invalid.`, zodDetails(result.error, where === 'body' ? undefined : where));
  return result.data;
}

function hasBody(req: Request): boolean {
  const length = Number(req.headers['content-length'] ?? 0);
  return length > 0 || req.headers['transfer-encoding'] !== undefined;
}

function parseIfMatch(req: Request): number | undefined {
  const raw = req.headers['if-match'];
  if (raw === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
  if (!m)
    throw new ValidationError('Header If-Match is invalid.', [
      { path: 'If-Match', message: 'must be the resource version, e.g. "3"' },
    ]);
  return Number(m[1]);
}

/** The tenant a request acts in: the token's own, or (for a person) X-Tenant-Id, or their only tenant. */
async function resolveTenant(c: Container, p: Principal, req: Request): Promise<{ tenant: Tenant; role: Role }> {
  const header = req.headers['x-tenant-id'];
  const wanted = typeof header === 'string' && header.length > 0 ? header : undefined;
  if (p.kind === 'token') {
    if (p.scope !== 'admin' || !p.role) throw new ForbiddenError('An evaluation token can only evaluate flags.');
    const tenant = await c.repos.tenants.find(p.tenantId);
    if (!tenant || (wanted && wanted !== tenant.slug && wanted !== tenant.id)) throw new NotFoundError('Tenant');
    return { tenant, role: p.role };
  }
  const membership = wanted
    ? p.memberships.find((m) => m.slug === wanted || m.tenantId === wanted)
    : p.memberships.length === 1
      ? p.memberships[0]
      : undefined;
  if (!membership) {
    if (!wanted)
      throw new ValidationError('Choose a tenant.', [
        { path: 'X-Tenant-Id', message: 'is required: you are a member of several tenants' },
      ]);
    throw new NotFoundError('Tenant');
  }
  return {
    tenant: { id: membership.tenantId, slug: membership.slug, name: membership.name, kind: membership.kind },
    role: membership.role,
  };
}

/** A response with its body serialised once: `text` is what is sent, and what an idempotent replay sends again. */
interface Outgoing extends StoredResponse {
  body: unknown;
}

function send(res: Response, r: StoredResponse): void {
  for (const [k, v] of Object.entries(r.headers)) res.setHeader(k, v);
  if (r.status === 204 || r.text === undefined) res.status(r.status).end();
  else res.status(r.status).type('application/json').send(r.text);
}

const weakTagOf = (text: string): string => `W/"${createHash('sha1').update(text).digest('base64url')}"`;

/**
 * Reads carry an ETag (the version for a single resource, a hash of the body otherwise), so
 * the UI can poll with If-None-Match and get 304 while nothing changed.
 */
function notModified(req: Request, response: StoredResponse): boolean {
  if (response.status !== 200) return false;
  response.headers.ETag ??= weakTagOf(response.text ?? '');
  const etag = response.headers.ETag;
  const candidates = String(req.headers['if-none-match'] ?? '')
    .split(',')
    .map((t) => t.trim());
  return candidates.includes(etag) || candidates.includes(etag.replace(/^W\//, ''));
}

function responseOf(route: AnyRoute, body: unknown): Outgoing {
  const headers: Record<string, string> = {};
  const version = (body as { version?: unknown } | null)?.version;
  if (typeof version === 'number') headers.ETag = `"${version}"`;
  if (route.location && body) headers.Location = (route.location as (b: unknown) => string)(body);
  return {
    status: route.status ?? (body === undefined ? 204 : 200),
    headers,
    body,
    text: body === undefined ? undefined : JSON.stringify(body),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The paths of fields in `sent` that the schema's output `parsed` dropped: what the schema does not describe. */
function undescribed(sent: unknown, parsed: unknown, path: string): string[] {
  if (Array.isArray(sent) && Array.isArray(parsed))
    return sent.flatMap((v, i) => undescribed(v, parsed[i], `${path}[${i}]`));
  if (!isRecord(sent) || !isRecord(parsed)) return [];
  return Object.entries(sent).flatMap(([k, v]) => {
    const at = path ? `${path}.${k}` : k;
    return k in parsed ? undescribed(v, parsed[k], at) : [at];
  });
}

/** How an answer differs from its documented schema (strict: a field the schema does not name is a difference too). */
export function responseProblems(schema: z.ZodType, body: unknown): ErrorDetail[] {
  const result = schema.safeParse(body);
  if (!result.success) return zodDetails(result.error);
  return undescribed(body, result.data, '').map((path) => ({ path, message: 'is not in the response schema' }));
}

/** In tests every 2xx answer is checked against the route's response schema, so /openapi.json cannot drift from the code. */
function assertDocumented(route: AnyRoute, path: string, response: StoredResponse): void {
  if (response.status < 200 || response.status > 299 || (response.text === undefined && !route.response)) return;
  const problems = route.response
    ? responseProblems(route.response, response.text === undefined ? undefined : JSON.parse(response.text))
    : [{ path: '(root)', message: 'the route declares no response schema' }];
  if (problems.length === 0) return;
  throw new AppError(
    'INTERNAL',
    `The answer of ${route.method.toUpperCase()} ${route.path} (${path}) does not match its response schema.`,
    problems,
  );
}

/** What is stored for a replay: the sent bytes, or (for a route with `replayBody`) its replay body's. */
function forReplay(route: AnyRoute, response: Outgoing): StoredResponse {
  if (!route.replayBody) return response;
  const body = (route.replayBody as (b: unknown) => unknown)(response.body);
  return { status: response.status, headers: response.headers, text: JSON.stringify(body) };
}

/**
 * Registers routes in the order the architecture prescribes:
 * auth → tenant → role gate → CSRF → zod → write switch → idempotency → `platformOnly` → handler.
 * Refuses to start if a route declares no access.
 */
export function buildRouter(c: Container, routes: AnyRoute[]): Router {
  const router = Router();
  const checkResponses = c.config.env === 'test';
  for (const r of routes) {
    if (!r.access || !([...ROLES, 'authenticated', 'public'] as string[]).includes(r.access)) {
      throw new Error(`Route ${r.method.toUpperCase()} ${r.path} declares no valid access role`);
    }
    router[r.method](r.path, async (req: Request, res: Response) => {
      const principal = req.principal;
      const ctx = {
        requestId: req.requestId,
        principal,
        actor: principal && actorOf(principal),
        log: req.log,
        req,
        res,
      } as TenantRequestContext;

      if (r.access !== 'public') {
        if (!principal) throw new UnauthenticatedError();
        if (isWrite(r) && req.viaCookie && principal.kind === 'user') {
          assertSameOrigin(req);
          const csrf = req.headers['x-csrf-token'];
          if (typeof csrf !== 'string' || !safeEqual(csrf, principal.csrfToken)) {
            throw new ForbiddenError('Missing or invalid CSRF token (send the X-CSRF-Token header from /auth/me).');
          }
        }
      }
      const tenantRoute = r.access !== 'public' && r.access !== 'authenticated';
      if (tenantRoute) {
        const { tenant, role } = await resolveTenant(c, principal!, req);
        if (!roleAllows(role, r.access as Role))
          throw new ForbiddenError(`This needs the ${r.access} role; you are ${role} in ${tenant.slug}.`);
        ctx.tenant = tenant;
        ctx.role = role;
        req.log = req.log.child({ tenantId: tenant.id });
        ctx.log = req.log;
      }
      if (isWrite(r) && hasBody(req) && !req.is('application/json')) throw new UnsupportedMediaTypeError();

      const rawBody = req.body ?? {};
      const input = {
        params: parse(r.params, req.params, 'params'),
        query: parse(r.query, req.query, 'query'),
        body: parse(r.body, rawBody, 'body'),
      } as Parameters<AnyRoute['handler']>[0];
      ctx.ifMatch = parseIfMatch(req);

      if (tenantRoute && isWrite(r))
        await c.settings.assertWritesAllowed(ctx.tenant.id, { ignoreTenantSwitch: r.ignoresTenantWriteSwitch });

      const mode = idempotencyOf(r);
      const key = req.headers['idempotency-key'];
      let recordId: string | undefined;
      /** The response stored inside the write's transaction, sent as is so the replay is the same bytes. */
      let completed: { result: unknown; response: Outgoing } | undefined;
      if (mode !== 'none' && tenantRoute) {
        if (key === undefined && mode === 'required') {
          throw new ValidationError('Header Idempotency-Key is required on actions.', [
            { path: 'Idempotency-Key', message: 'is required' },
          ]);
        }
        if (key !== undefined) {
          if (typeof key !== 'string' || !IDEMPOTENCY_KEY_RE.test(key)) {
            throw new ValidationError('Header Idempotency-Key is invalid.', [
              { path: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' },
            ]);
          }
          const credential = principal!.kind === 'user' ? `user:${principal!.userId}` : `token:${principal!.tokenId}`;
          const start = await c.idempotency.begin(
            { tenantId: ctx.tenant.id, credential, key },
            requestFingerprint(req.method, req.path, rawBody),
          );
          if (start.kind === 'replay') {
            res.setHeader('Idempotent-Replayed', 'true');
            return send(res, start.response);
          }
          recordId = start.recordId;
        }
      }
      if (tenantRoute) {
        ctx.action = (reason?: string) => ({
          tenantId: ctx.tenant.id,
          actor: ctx.actor,
          requestId: ctx.requestId,
          idempotencyKey: recordId ? (key as string) : undefined,
          reason,
          beforeCommit: recordId
            ? async (trx, result) => {
                const response = responseOf(r, result);
                await c.idempotency.complete(trx, recordId!, forReplay(r, response));
                completed = { result, response };
              }
            : undefined,
        });
      }

      let body: unknown;
      // a renewal that fails means the database is unreachable, and the write with it: nothing to do but let the lease lapse
      const lease = recordId
        ? setInterval(() => void c.idempotency.renew(recordId!).catch(() => undefined), c.idempotency.renewEveryMs)
        : undefined;
      lease?.unref();
      try {
        // last, where handlers used to check it, so every other refusal (400 for a missing Idempotency-Key, 503 writes off) comes first as before
        if (r.platformOnly && ctx.tenant.kind !== 'platform')
          throw new ForbiddenError(`${r.platformOnly} is for members of the platform's ops workspace.`);
        body = await r.handler(input, ctx);
      } catch (err) {
        if (recordId && !completed) await c.idempotency.release(recordId).catch(() => undefined);
        throw err;
      } finally {
        clearInterval(lease);
      }
      const response = completed && completed.result === body ? completed.response : responseOf(r, body);
      if (checkResponses) assertDocumented(r, req.path, response);
      if (recordId && !completed) await c.idempotency.complete(c.db, recordId, forReplay(r, response));
      if (!isWrite(r) && notModified(req, response)) return res.status(304).end();
      send(res, response);
    });
  }
  return router;
}
