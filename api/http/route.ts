import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../../core/actor';
import type { Role, RouteAccess } from '../../core/permissions';
import type { Principal } from '../../modules/auth/auth.service';
import type { Tenant } from '../../modules/tenants/tenants.repository';
import type { ActionContext } from '../../modules/platform/unit-of-work';
import type { Logger } from '../../modules/platform/logger';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a `public` route's handler sees: no credential, no tenant. */
export interface RequestContext {
  requestId: string;
  /** Parsed `If-Match` (a version), when sent. */
  ifMatch?: number;
  log: Logger;
  req: Request;
  res: Response;
}

/** What an `authenticated` route's handler sees: who asks, in no tenant. */
export interface AuthenticatedRequestContext extends RequestContext {
  principal: Principal;
  actor: Actor;
}

/** What a tenant route's handler (access is a role) sees; `ctx.action()` builds what a write needs, wired to the idempotency record. */
export interface TenantRequestContext extends AuthenticatedRequestContext {
  tenant: Tenant;
  role: Role;
  action(reason?: string): ActionContext;
}

/** The context a route's handler gets follows from its access, so a public route cannot read a principal it does not have. */
export type ContextFor<A extends RouteAccess> = [A] extends ['public']
  ? RequestContext
  : [A] extends ['authenticated']
    ? AuthenticatedRequestContext
    : TenantRequestContext;

export interface RouteSpec<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  A extends RouteAccess = RouteAccess,
> {
  method: HttpMethod;
  /** Express path, e.g. `/admin/feature-flags/:id/actions/enable`. */
  path: string;
  /** The role this route needs in the request's tenant, or `authenticated` / `public`. Required: the app will not start without it. */
  access: A;
  /**
   * Only for members of the platform's ops workspace (the request acts in a tenant of kind
   * `platform`): a global control that sees or changes every tenant. Names what the route does,
   * for the 403 the pipeline answers otherwise.
   */
  platformOnly?: A extends Role ? string : never;
  summary: string;
  tag: string;
  /** The OpenAPI operationId, unique in the document: the name the web's generated types and clients know the route by. */
  operationId: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The success body: documented in /openapi.json and, when NODE_ENV=test, checked against every 2xx answer. Every route but a 204 has one. */
  response?: Schema;
  /** Success status; defaults to 200 (201 is given a Location by `location`). */
  status?: number;
  location?: (body: never) => string;
  /** Idempotency-Key: `required` on actions (the default for paths with /actions/), else `optional` on writes. */
  idempotency?: 'required' | 'optional' | 'none';
  /** What an idempotent replay answers instead of the body, e.g. without a secret that is shown once. */
  replayBody?: (body: never) => unknown;
  /** A POST that only reads (the playground): no write switch, no CSRF, no Idempotency-Key. */
  readOnly?: boolean;
  /** Only the write switches' own routes ignore the per-tenant write switch, so it can be turned back on. */
  ignoresTenantWriteSwitch?: boolean;
  handler: (input: { params: Out<P>; query: Out<Q>; body: Out<B> }, ctx: ContextFor<A>) => Promise<unknown>;
}

/** Declares a route with its types inferred from its schemas. */
export function route<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  A extends RouteAccess = RouteAccess,
>(spec: RouteSpec<P, Q, B, A>): RouteSpec<Schema | undefined, Schema | undefined, Schema | undefined> {
  return spec as unknown as RouteSpec<Schema | undefined, Schema | undefined, Schema | undefined>;
}

export type AnyRoute = ReturnType<typeof route>;

export const isWrite = (r: Pick<RouteSpec, 'method' | 'readOnly'>): boolean => r.method !== 'get' && !r.readOnly;

export function idempotencyOf(
  r: Pick<RouteSpec, 'method' | 'path' | 'idempotency' | 'readOnly'>,
): 'required' | 'optional' | 'none' {
  if (r.idempotency) return r.idempotency;
  if (!isWrite(r)) return 'none';
  return r.path.includes('/actions/') ? 'required' : 'optional';
}
