import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { HookContext } from '@bull-board/api/typings/app';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import type { Actor } from '../core/actor';
import type { AuditAction } from '../core/audit-actions';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '../core/errors';
import { roleAllows, ROLES, type Role } from '../core/permissions';
import { findUnsafeInput } from '../core/safe-input';
import { actorOf, type Principal } from '../modules/auth/auth.service';
import type { Container } from '../modules/platform/container';

export const QUEUES_PATH = '/admin/queues';

/**
 * The dashboard writes operators may take, as bull-board's router sees them: listed in the order it tries its routes,
 * matched the way Express matches (case-insensitive, optional trailing slash) and taken at the first match, so that a
 * path means here what it means there (`…/clean/clean` is bull-board's clean of the jobs in a state named "clean",
 * which does nothing, not a clean of job "clean"). A state BullMQ does not act on is refused like every other write
 * (obliterate, add, edit data, pause…).
 */
const OPERATOR_ROUTES: Array<{ route: string; re: RegExp; action: AuditAction; states?: readonly string[] }> = [
  {
    route: '/api/queues/:queueName/retry/:queueStatus',
    re: /^\/api\/queues\/([^/]+)\/retry\/([^/]+)\/?$/i,
    action: 'queue.jobs_retried',
    states: ['failed', 'completed'],
  },
  {
    route: '/api/queues/:queueName/promote',
    re: /^\/api\/queues\/([^/]+)\/promote\/?$/i,
    action: 'queue.jobs_promoted',
  },
  {
    route: '/api/queues/:queueName/clean/:queueStatus',
    re: /^\/api\/queues\/([^/]+)\/clean\/([^/]+)\/?$/i,
    action: 'queue.jobs_cleaned',
    states: ['completed', 'wait', 'waiting', 'active', 'delayed', 'failed'],
  },
  {
    route: '/api/queues/:queueName/:jobId/retry',
    re: /^\/api\/queues\/([^/]+)\/([^/]+)\/retry\/?$/i,
    action: 'queue.job_retried',
  },
  {
    route: '/api/queues/:queueName/:jobId/clean',
    re: /^\/api\/queues\/([^/]+)\/([^/]+)\/clean\/?$/i,
    action: 'queue.job_cleaned',
  },
  {
    route: '/api/queues/:queueName/:jobId/promote',
    re: /^\/api\/queues\/([^/]+)\/([^/]+)\/promote\/?$/i,
    action: 'queue.job_promoted',
  },
];
const ACTION_OF_ROUTE = new Map(OPERATOR_ROUTES.map((r) => [r.route, r.action]));

/** The operator route a write takes in bull-board, or undefined when it is refused. */
function operatorRoute(method: string, path: string): (typeof OPERATOR_ROUTES)[number] | undefined {
  if (method !== 'PUT') return undefined;
  for (const r of OPERATOR_ROUTES) {
    const match = r.re.exec(path);
    if (!match) continue;
    if (!r.states) return r;
    let state: string;
    try {
      state = decodeURIComponent(match[2]);
    } catch {
      return undefined;
    }
    return r.states.includes(state) ? r : undefined;
  }
  return undefined;
}

interface PendingAudit {
  tenantId: string;
  actor: Actor;
  requestId: string;
}

/**
 * The dashboard shows every tenant's jobs, so it belongs to the platform's ops workspace:
 * the caller's highest role in a tenant of kind `platform` (a token: its own, if platform).
 */
async function platformAccess(c: Container, p: Principal): Promise<{ tenantId: string; role: Role } | undefined> {
  if (p.kind === 'token') {
    if (p.scope !== 'admin' || !p.role) return undefined;
    const tenant = await c.repos.tenants.find(p.tenantId);
    return tenant?.kind === 'platform' ? { tenantId: tenant.id, role: p.role } : undefined;
  }
  const platform = p.memberships
    .filter((m) => m.kind === 'platform')
    .sort((a, b) => ROLES.indexOf(b.role) - ROLES.indexOf(a.role));
  return platform[0] && { tenantId: platform[0].tenantId, role: platform[0].role };
}

/** Queue and job names from the URL reach the queue store (PostgreSQL refuses NUL), so they pass the same check as every route's input. */
function assertSafeInput(req: Request): void {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    throw new ValidationError('Path is invalid.', [{ path: 'params', message: 'is not percent-encoded UTF-8' }]);
  }
  const unsafe =
    findUnsafeInput({ path }, 'params') ?? findUnsafeInput(req.query, 'query') ?? findUnsafeInput(req.body ?? {});
  if (unsafe) throw new ValidationError('Request is invalid.', [unsafe]);
}

/** A cookie-authenticated write must come from our own pages (bull-board's UI sends no CSRF header). */
function sameOrigin(req: Request): boolean {
  const source = req.headers.origin ?? req.headers.referer;
  if (!source) return false;
  try {
    return new URL(source).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * bull-board at /admin/queues behind the same login: viewers look (a read-only board),
 * operators may also retry, promote and clean; each such action is audited, as the route
 * bull-board took with the parameters it read, before its answer is sent. Every page and
 * call first checks that the queue store answers (503 UNAVAILABLE within the queue timeout
 * otherwise), and whatever bull-board throws is answered in the error contract.
 */
export function queuesBoard(c: Container): RequestHandler {
  const pending = new WeakMap<IncomingHttpHeaders, PendingAudit>();
  const audit = async (context: HookContext, result: unknown) => {
    const entry = pending.get(context.request.headers as IncomingHttpHeaders);
    const action = ACTION_OF_ROUTE.get(context.route);
    const status = (result as { status?: number }).status ?? 200;
    if (entry && action && status < 400) {
      const { queueName, jobId, queueStatus } = context.request.params as Record<string, string | undefined>;
      const ctx = { tenantId: entry.tenantId, actor: entry.actor, requestId: entry.requestId };
      await c.uow.run(ctx, (trx) =>
        c.repos.audit.record(trx, ctx, {
          action,
          resourceType: 'queue',
          resourceId: `${queueName}/${jobId ?? queueStatus ?? '*'}`.slice(0, 200),
        }),
      );
    }
    return result as never;
  };
  const board = (readOnlyMode: boolean) => {
    const adapter = new ExpressAdapter();
    adapter.setBasePath(QUEUES_PATH);
    createBullBoard({
      queues: c.queues.all().map((q) => new BullMQAdapter(q, { readOnlyMode, allowRetries: !readOnlyMode })),
      serverAdapter: adapter,
      options: { uiConfig: { boardTitle: 'Flagpole jobs', hideDocsLink: true }, handlerHooks: { after: audit } },
    });
    // rethrown errors leave bull-board's router for ours: a lost store is 503 UNAVAILABLE, a bug 500 INTERNAL, both in the contract
    adapter.setErrorHandler((err) => {
      throw err;
    });
    return adapter.getRouter() as RequestHandler;
  };
  const readOnly = board(true);
  const operable = board(false);

  return async (req: Request, res: Response, next: NextFunction) => {
    if (!req.principal) throw new UnauthenticatedError();
    const access = await platformAccess(c, req.principal);
    if (!access) throw new ForbiddenError("The job dashboard is for members of the platform's ops workspace.");
    assertSafeInput(req);
    const operator = roleAllows(access.role, 'operator');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      if (!operatorRoute(req.method, req.path)) throw new ForbiddenError('This job dashboard action is not available.');
      if (!operator)
        throw new ForbiddenError(
          `Retrying, promoting and cleaning jobs needs the operator role; you are ${access.role}.`,
        );
      if (req.viaCookie && !sameOrigin(req))
        throw new ForbiddenError('Queue actions from a browser must come from the dashboard page.');
      pending.set(req.headers, { tenantId: access.tenantId, actor: actorOf(req.principal), requestId: req.requestId });
    }
    // the UI's own files need no store; every page and API call does, and bull-board would wait for it
    if (!req.path.startsWith('/static/')) await c.backend.ping();
    (operator ? operable : readOnly)(req, res, next);
  };
}
